package fingerprint

import (
	"bytes"
	"strings"
)

// helperShapes (helpershapes.go) is written by a test from the packages.
//go:generate go test -run TestHelperShapes -update .

// Compiler-emitted helpers. Babel and TypeScript (without importHelpers)
// write the same helper functions into every build they compile: Babel's
// _classCallCheck, _createClass, _extends, _objectSpread2, TypeScript's
// __awaiter, __extends, __generator. They are the compiler's output, not
// the code of the package whose build holds them, and the same in every
// build compiled alike, so they tell nothing of where code came from.
// Helpers finds them in JavaScript; File selects no fingerprint inside
// them.
//
// The names are those of @babel/runtime's helper modules (versions 7 and
// 8, with the underscore Babel gives a helper it inlines) and of the
// functions they declare at their top level, and those of tslib's
// exports (versions 1 and 2): what those packages ship, checked by the
// tests against the packages themselves. Bundlers may rename a helper
// that clashes with another one: rollup appends $1, $2 (_typeof$1),
// which is taken off before the name is looked up.
//
// A name is not enough for all of them: people give their own functions
// names such as _get, _set, _extends or ownKeys too. A declaration of one
// of genericHelpers is a helper only when more than its name says so (see
// Helpers): the file holds a helper of another, distinctive name (the
// compiler wrote it), TypeScript's guard precedes it, or its shape is one
// of the shapes these helpers have in the packages (helperShapes).
var helperNames = func() map[string]helperKind {
	m := map[string]helperKind{}
	for _, n := range strings.Fields(babelHelpers + " " + tsHelpers) {
		m[n] = distinctHelper
	}
	for _, n := range strings.Fields(genericHelpers) {
		m[n] = genericHelper
	}
	return m
}()

// A helperKind tells the names of helpers apart.
type helperKind uint8

const (
	notHelper      helperKind = iota
	genericHelper             // a name people give their own code too
	distinctHelper            // a name only a compiler gives
)

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
	// genericHelpers are the names of babelHelpers and tsHelpers that
	// people's own functions have too: words, and library names.
	genericHelpers = `AsyncFromSyncIterator AsyncGenerator AsyncIterator _asyncIterator _callSpread _construct
	_decorate _defaults _defineAccessor _defineProperties _defineProperty _dispose _extends _get
	_getPrototypeOf _identity _inherits _instanceof _isNativeFunction _iterableToArray _jsx
	_maybeArrayLike _objectSpread _processResponse _regenerator _set _setFunctionName
	_setPrototypeOf _tdz _toArray _toPrimitive _toPropertyKey _toSetter _typeof _using ownKeys
	__assign __await __decorate __extends __metadata __param __read __rest __spread __values`
)

// helperKindOf returns the kind of helper name names (see Helpers), a
// bundler's $N suffix taken off: notHelper when it names none.
func helperKindOf(name []byte) helperKind {
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
//
// A declaration of a generic name (genericHelpers: _extends, _get, ownKeys)
// is a helper only when the file also declares a helper of a distinctive
// name (_classCallCheck, __awaiter: then a compiler wrote the file's
// helpers), when TypeScript's guard "(this && this.NAME) ||" opens its
// value, or when its shape (helperShape) is one of helperShapes, those
// of the helpers @babel/runtime and tslib ship. A function of one's own
// that is merely named like a helper is code like any other.
func Helpers(lang Lang, src []byte, toks []Token, dst [][2]int32) [][2]int32 {
	if lang != JavaScript {
		return dst
	}
	h := helperScan{src: src, toks: toks}
	for i := 0; i < len(toks); i++ {
		kind, value, end := h.declaration(i)
		if end <= i || kind == genericHelper && !h.confirmed(i, value, end) {
			continue
		}
		dst = append(dst, [2]int32{int32(i), int32(end)})
		i = end - 1
	}
	return dst
}

// helperScan finds the helpers of one file (see Helpers).
type helperScan struct {
	src  []byte
	toks []Token
	// compiled is 1 when the file declares a helper of a distinctive
	// name, -1 when it does not, 0 until it is known.
	compiled int8
}

// name returns the kind of helper that toks[i] names.
func (h *helperScan) name(i int) helperKind {
	if i >= len(h.toks) || h.toks[i].Sym != SymIdent {
		return notHelper
	}
	return helperKindOf(h.src[h.toks[i].Off:h.toks[i].End])
}

// declaration reports whether a declaration of a helper's name starts at
// toks[i]: the name's kind, the index of the first token of the value
// declared (the function itself, or the expression after "="), and the
// index after its end (-1 when it is none).
func (h *helperScan) declaration(i int) (kind helperKind, value, end int) {
	toks := h.toks
	switch {
	case toks[i].Sym == symFunction:
		if kind = h.name(i + 1); kind != notHelper {
			return kind, i, functionEnd(toks, i+2)
		}
	case toks[i].Sym == symVar[0] || toks[i].Sym == symVar[1] || toks[i].Sym == symVar[2]:
		if kind = h.name(i + 1); kind != notHelper && i+2 < len(toks) && toks[i+2].Sym == symAssign {
			return kind, i + 3, statementEnd(toks, i+3)
		}
	case i+1 < len(toks) && toks[i+1].Sym == symAssign && (i == 0 || toks[i-1].EndLine < toks[i].Line):
		if kind = h.name(i); kind != notHelper {
			return kind, i + 2, statementEnd(toks, i+2)
		}
	}
	return notHelper, 0, -1
}

// confirmed reports whether the declaration of a generic name at toks[i],
// whose value spans toks[value:end], is a helper (see Helpers).
func (h *helperScan) confirmed(i, value, end int) bool {
	if h.compiled == 0 {
		h.compiled = -1
		for j := range h.toks {
			if kind, _, _ := h.declaration(j); kind == distinctHelper {
				h.compiled = 1
				break
			}
		}
	}
	return h.compiled > 0 || h.guarded(i, value) || helperShapes[helperShape(h.toks[value:end])]
}

// Symbols of TypeScript's guard (see guarded).
var (
	symThis = hashString("this")
	symAnd  = hashString("&&")
	symOr   = hashString("||")
)

// guarded reports whether the value declared at toks[value] opens with
// TypeScript's guard, "(this && this.NAME) ||", NAME the name declared
// at toks[i+1]: tsc writes every helper it inlines so.
func (h *helperScan) guarded(i, value int) bool {
	toks := h.toks
	if value+8 > len(toks) || i+1 >= len(toks) {
		return false
	}
	g := toks[value : value+8]
	return g[0].Sym == symOpen[0] && g[1].Exact == symThis && g[2].Sym == symAnd && g[3].Exact == symThis &&
		g[4].Sym == symDot && g[5].Sym == SymIdent && g[5].Exact == toks[i+1].Exact && g[6].Sym == symClose[0] && g[7].Sym == symOr
}

// helperShape hashes a helper's value, toks, as its normalized tokens:
// an identifier is the distance back to the previous occurrence of its
// name in toks (0 for the first), any other token its text (literals
// too: the shape does not depend on Params.AbstractLiterals); the name
// of a function (function NAME(...)) is left out, so that a declaration
// and an expression of the same function, or a helper and its copy
// renamed by a bundler, have one shape.
func helperShape(toks []Token) uint64 {
	last := map[uint32]int{}
	h, n := uint64(14695981039346656037), 0
	for j := range toks {
		v := toks[j].Exact
		if toks[j].Sym == SymIdent {
			if j > 0 && toks[j-1].Sym == symFunction {
				continue
			}
			v = SymIdent
			if p, ok := last[toks[j].Exact]; ok {
				v += uint32(j - p)
			}
			last[toks[j].Exact] = j
		}
		h = (h ^ uint64(v)) * 1099511628211
		n++
	}
	return fmix64(h ^ uint64(n))
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
