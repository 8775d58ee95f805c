package fingerprint

import (
	"bytes"
	"strings"
)

// Compiler-emitted helpers. Babel and TypeScript (without importHelpers)
// write the same helper functions into every build they compile: Babel's
// _classCallCheck, _createClass, _extends, _objectSpread2, TypeScript's
// __awaiter, __extends, __generator. They are the compiler's output, not
// the code of the package whose build holds them, and the same in every
// build compiled alike, so they tell nothing of where code came from.
// Helpers finds them in JavaScript by name; File selects no fingerprint
// inside them.
//
// The names are those of @babel/runtime's helper modules (versions 7 and
// 8, with the underscore Babel gives a helper it inlines) and of the
// functions they declare at their top level, and those of tslib's
// exports (versions 1 and 2): what those packages ship, checked by the
// tests against the packages themselves. Bundlers may rename a helper
// that clashes with another one: rollup appends $1, $2 (_typeof$1),
// which is taken off before the name is looked up.
var helperNames = func() map[string]bool {
	m := map[string]bool{}
	for _, n := range strings.Fields(babelHelpers + " " + tsHelpers) {
		m[n] = true
	}
	return m
}()

const (
	babelHelpers = `_AwaitValue _OverloadYield _applyDecoratedDescriptor _applyDecs _applyDecs2203 _applyDecs2203R
	_applyDecs2301 _applyDecs2305 _applyDecs2311 _arrayLikeToArray _arrayWithHoles
	_arrayWithoutHoles _assertClassBrand _assertThisInitialized _asyncGeneratorDelegate
	_asyncIterator _asyncToGenerator _awaitAsyncGenerator _callSpread _callSuper _checkInRHS
	_checkPrivateRedeclaration _classApplyDescriptorDestructureSet _classApplyDescriptorGet
	_classApplyDescriptorSet _classCallCheck _classCheckPrivateStaticAccess
	_classCheckPrivateStaticFieldDescriptor _classExtractFieldDescriptor _classNameTDZError
	_classPrivateFieldBase _classPrivateFieldDestructureSet _classPrivateFieldGet
	_classPrivateFieldGet2 _classPrivateFieldInitSpec _classPrivateFieldKey
	_classPrivateFieldLooseBase _classPrivateFieldLooseKey _classPrivateFieldSet
	_classPrivateFieldSet2 _classPrivateGetter _classPrivateMethodGet _classPrivateMethodInitSpec
	_classPrivateMethodSet _classPrivateSetter _classStaticPrivateFieldDestructureSet
	_classStaticPrivateFieldSpecGet _classStaticPrivateFieldSpecSet _classStaticPrivateMethodGet
	_classStaticPrivateMethodSet _coalesceClassElements _coalesceGetterSetter _construct
	_createClass _createElementDescriptor _createForOfIteratorHelper
	_createForOfIteratorHelperLoose _createModuleNsFilter _createRawReactElement _createSuper
	_decorate _defaults _defineAccessor _defineEnumerableProperties _defineProperties
	_defineProperty _dispose _extends _filterModuleNamespace _get _getDecoratorsApi _getPrototypeOf
	_hasDecorators _identity _immutableUint8Array _importDeferProxy _inherits _inheritsLoose
	_initializerDefineProperty _initializerWarningHelper _instanceof _interopRequireDefault
	_interopRequireWildcard _isDataDescriptor _isNativeFunction _isNativeReflectConstruct
	_iterableToArray _iterableToArrayLimit _jsx _maybeArrayLike _newArrowCheck _nonIterableRest
	_nonIterableSpread _nullishReceiverError _objectDestructuringEmpty _objectSpread _objectSpread2
	_objectWithoutProperties _objectWithoutPropertiesLoose _optionalCallableProperty
	_possibleConstructorReturn _processResponse _readOnlyError _regenerator _regeneratorAsync
	_regeneratorAsyncGen _regeneratorAsyncIterator _regeneratorDefine _regeneratorKeys
	_regeneratorRuntime _regeneratorValues _set _setFunctionName _setPrototypeOf
	_skipFirstGeneratorNext _slicedToArray _superPropBase _superPropGet _superPropSet
	_taggedTemplateLiteral _taggedTemplateLiteralLoose _tdz _tdzError _temporalRef
	_temporalUndefined _toArray _toConsumableArray _toPrimitive _toPropertyKey _toSetter
	_tsRewriteRelativeImportExtensions _typeof _unsupportedIterableToArray _using _usingCtx
	_wrapAsyncGenerator _wrapNativeSuper _wrapRegExp _writeOnlyError
	AsyncFromSyncIterator AsyncGenerator AsyncIterator applyDecs2203Factory applyDecs2203RFactory
	applyDecs2301Factory asyncGeneratorStep dispose_SuppressedError old_applyClassDecs
	old_applyMemberDec old_applyMemberDecs old_assertCallable old_assertMetadataKey
	old_assertNotFinished old_assertValidReturnValue old_convertMetadataMapToFinal
	old_createAddInitializerMethod old_createMetadataMethodsForProperty old_getInit old_memberDec
	old_pushInitializers ownKeys`
	tsHelpers = `__addDisposableResource __assign __asyncDelegator __asyncGenerator __asyncValues __await
	__awaiter __classPrivateFieldGet __classPrivateFieldIn __classPrivateFieldSet __createBinding
	__decorate __disposeResources __esDecorate __exportStar __extends __generator __importDefault
	__importStar __makeTemplateObject __metadata __param __propKey __read __rest
	__rewriteRelativeImportExtension __runInitializers __setFunctionName __setModuleDefault
	__spread __spreadArray __spreadArrays __values`
)

// isHelper reports whether name is that of a compiler-emitted helper
// (see Helpers), a bundler's $N suffix taken off.
func isHelper(name []byte) bool {
	if i := bytes.LastIndexByte(name, '$'); i > 0 && i+1 < len(name) && len(bytes.Trim(name[i+1:], "0123456789")) == 0 {
		name = name[:i]
	}
	return helperNames[string(name)]
}

// Symbols of the helpers' declarations.
var (
	symFunction = hashString("function")
	symVar      = [3]uint32{hashString("var"), hashString("let"), hashString("const")}
)

// helperContinues are the tokens that go on with an expression on the
// next line (a || b, a ? b : c, a.b): a statement does not end before or
// after one of them.
var helperContinues = func() map[uint32]bool {
	m := map[uint32]bool{}
	for _, op := range strings.Fields(". ?. ? : || && ?? , + - * / = => ( [ {") {
		m[hashString(op)] = true
	}
	return m
}()

// Helpers appends to dst the token ranges [start, end) of the
// compiler-emitted helpers of a JavaScript file (none in other
// languages): declarations of a helper's name, in three forms,
//
//	function _createClass(e, r, t) { ... }
//	var __awaiter = (this && this.__awaiter) || function (...) { ... }
//	__extends = function (d, b) { ... }   (tslib's own assignments)
//
// the first up to the closing brace of its body, the others up to the end
// of their statement: the first closing bracket at their level that ends
// a line before a line that does not go on with the expression
// (semicolons are not tokens). src is the text toks were made of.
func Helpers(lang Lang, src []byte, toks []Token, dst [][2]int32) [][2]int32 {
	if lang != JavaScript {
		return dst
	}
	name := func(i int) bool {
		return i < len(toks) && toks[i].Sym == SymIdent && isHelper(src[toks[i].Off:toks[i].End])
	}
	for i := 0; i < len(toks); i++ {
		var end int
		switch {
		case toks[i].Sym == symFunction && name(i+1):
			end = functionEnd(toks, i+2)
		case (toks[i].Sym == symVar[0] || toks[i].Sym == symVar[1] || toks[i].Sym == symVar[2]) && name(i+1) &&
			i+2 < len(toks) && toks[i+2].Sym == symAssign:
			end = statementEnd(toks, i+3)
		case i+1 < len(toks) && toks[i+1].Sym == symAssign && (i == 0 || toks[i-1].EndLine < toks[i].Line) && name(i):
			end = statementEnd(toks, i+2)
		default:
			continue
		}
		if end > i {
			dst = append(dst, [2]int32{int32(i), int32(end)})
			i = end - 1
		}
	}
	return dst
}

// functionEnd returns the index after the closing brace of the function
// whose parameter list opens at toks[i], or -1.
func functionEnd(toks []Token, i int) int {
	if i >= len(toks) || toks[i].Sym != symOpen[0] {
		return -1
	}
	j := Matching(toks, i)
	if j < 0 || j+1 >= len(toks) || toks[j+1].Sym != symOpen[2] {
		return -1
	}
	if k := Matching(toks, j+1); k >= 0 {
		return k + 1
	}
	return -1
}

// statementEnd returns the index after the last token of the statement
// whose expression starts at toks[i] (see Helpers), or -1.
func statementEnd(toks []Token, i int) int {
	d := 0
	for j := i; j < len(toks); j++ {
		b := toks[j].Bracket()
		d += b
		if d < 0 {
			return -1
		}
		if d > 0 || b >= 0 || helperContinues[toks[j].Sym] {
			continue
		}
		if j+1 == len(toks) || toks[j+1].Line > toks[j].EndLine && !helperContinues[toks[j+1].Sym] {
			return j + 1
		}
	}
	return -1
}

// inSpans reports whether the tokens [pos, pos+k) lie within one of the
// sorted, disjoint spans, the first of which not to end before pos is
// spans[*at] (advanced as pos grows).
func inSpans(spans [][2]int32, at *int, pos, k int32) bool {
	for *at < len(spans) && spans[*at][1] <= pos {
		*at++
	}
	return *at < len(spans) && spans[*at][0] <= pos && pos+k <= spans[*at][1]
}
