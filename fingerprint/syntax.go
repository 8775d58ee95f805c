package fingerprint

import "strings"

// syntax describes the lexical rules of one language family. The lexer is
// shared; a syntax only switches its rules on and off.
type syntax struct {
	slashComments bool // "//" line and "/* */" block comments
	nestedBlock   bool // block comments nest (Rust, Swift, Kotlin, Scala, Haskell)
	hashComment   bool // '#' starts a line comment
	hashWordStart bool // '#' starts a comment only at the start of a word (shell)
	dashComment   bool // "--" starts a line comment (SQL, Lua, Haskell)
	semiComment   bool // ';' starts a line comment (assembly)
	haskellBlock  bool // "{- -}" block comments
	luaLong       bool // Lua "--[[ ]]" comments and "[[ ]]" strings
	podBlocks     bool // Perl POD and Ruby =begin/=end blocks at line start
	angleHash     bool // "<# #>" block comments (PowerShell)
	directives    bool // '#' at the start of a line starts a preprocessor directive (C, C#)

	singleQuote   bool // '...' is a string (not a character literal)
	charLiteral   bool // '.' is a short character literal
	lifetimes     bool // 'a without a closing quote is an identifier (Rust)
	tripleQuote   bool // """...""" (and '''...''' when singleQuote) strings
	backtick      bool // `...` is a string (Go raw strings, JS templates, shell)
	backtickRaw   bool // backslash is not an escape inside `...` (Go)
	rawHash       bool // r"..." and r#"..."# raw strings (Rust)
	rawDelim      bool // R"delim(...)delim" raw strings (C++)
	verbatim      bool // @"..." with "" escapes and $"..." strings (C#)
	backtickIdent bool // `...` is a quoted identifier (R, Kotlin, Scala, Swift, SQL)
	stringPrefix  bool // r"", b"", f"", L"", u8"" ... prefixes glue to the string
	multilineStr  bool // "..." and '...' may span lines (shell, Ruby, PHP, Perl, R, SQL)
	dollarIdent   bool // '$' is an identifier character
	atIdent       bool // '@' is an identifier character
	primeIdent    bool // '\'' may continue an identifier (Haskell)
	regexLiteral  bool // /.../ after an operator is a regular expression literal
	foldCase      bool // keywords are case-insensitive (SQL)
	lineStrings   bool // "\\" starts a string that runs to the end of its line (Zig's multiline strings)

	// script, when set, makes the file markup: only the contents of its
	// <script> elements are code, read with these rules (see
	// lexer.markup).
	script *syntax

	abstract bool // identifiers and literals are abstracted to classes
	text     bool // plain text: words only, punctuation ignored

	keywords kwSet
}

// kwSet is a small open-addressing set of keywords keyed by their token
// hash, so that a lookup costs one probe and one comparison.
type kwSet struct {
	slots []kwSlot
	mask  uint32
}

type kwSlot struct {
	hash uint32
	word string
}

func newKwSet(words string) kwSet {
	list := strings.Fields(words)
	size := 64
	for size < 4*len(list) {
		size *= 2
	}
	s := kwSet{slots: make([]kwSlot, size), mask: uint32(size - 1)}
	for _, w := range list {
		h := hashString(w)
		for i := h & s.mask; ; i = (i + 1) & s.mask {
			if s.slots[i].word == "" {
				s.slots[i] = kwSlot{h, w}
				break
			}
			if s.slots[i].word == w {
				break
			}
		}
	}
	return s
}

// has reports whether word (with hash h) is a keyword.
func (s *kwSet) has(h uint32, word []byte) bool {
	if s.mask == 0 {
		return false
	}
	for i := h & s.mask; ; i = (i + 1) & s.mask {
		sl := &s.slots[i]
		if sl.word == "" {
			return false
		}
		if sl.hash == h && sl.word == string(word) {
			return true
		}
	}
}

// Keyword lists. Only reserved words and a few contextual keywords that
// shape control flow are listed: everything else is an identifier and is
// abstracted, so renaming cannot hide a copy.
const (
	goKeywords = `break case chan const continue default defer else fallthrough for func go goto if
		import interface map package range return select struct switch type var`
	cKeywords = `auto break case char const continue default do double else enum extern float for goto
		if inline int long register restrict return short signed sizeof static struct switch typedef
		union unsigned void volatile while _Bool bool alignas alignof asm catch class const_cast
		constexpr decltype delete dynamic_cast explicit export false friend mutable namespace new
		noexcept nullptr operator private protected public reinterpret_cast static_assert
		static_cast template this throw true try typeid typename using virtual wchar_t
		co_await co_return co_yield concept requires
		define include ifdef ifndef endif elif pragma undef
		@interface @implementation @end @property @selector self super nil YES NO id`
	javaKeywords = `abstract assert boolean break byte case catch char class const continue default do
		double else enum extends final finally float for goto if implements import instanceof int
		interface long native new package private protected public return short static strictfp
		super switch synchronized this throw throws transient try void volatile while true false
		null var record yield sealed permits`
	jsKeywords = `break case catch class const continue debugger default delete do else export extends
		finally for function if import in instanceof new return super switch this throw try typeof
		var void while with yield let static enum await async of null true false undefined
		implements interface package private protected public abstract declare readonly type
		namespace keyof as is infer never unknown any`
	pyKeywords = `False None True and as assert async await break class continue def del elif else
		except finally for from global if import in is lambda nonlocal not or pass raise return
		try while with yield match case self`
	rustKeywords = `as async await break const continue crate dyn else enum extern false fn for if impl
		in let loop match mod move mut pub ref return self Self static struct super trait true type
		unsafe use where while union macro_rules`
	csKeywords = `abstract as base bool break byte case catch char checked class const continue decimal
		default delegate do double else enum event explicit extern false finally fixed float for
		foreach goto if implicit in int interface internal is lock long namespace new null object
		operator out override params private protected public readonly ref return sbyte sealed
		short sizeof stackalloc static string struct switch this throw true try typeof uint ulong
		unchecked unsafe ushort using virtual void volatile while async await var get set value
		yield record init where`
	phpKeywords = `abstract and array as break callable case catch class clone const continue declare
		default do echo else elseif empty enddeclare endfor endforeach endif endswitch endwhile
		extends final finally fn for foreach function global goto if implements include
		include_once instanceof insteadof interface isset list match namespace new or print private
		protected public readonly require require_once return static switch throw trait try unset
		use var while xor yield true false null $this self parent`
	rubyKeywords = `BEGIN END alias and begin break case class def defined? do else elsif end ensure
		false for if in module next nil not or redo rescue retry return self super then true undef
		unless until when while yield require attr_accessor attr_reader attr_writer private
		protected public lambda proc`
	shKeywords = `if then else elif fi case esac for select while until do done in function time
		return local export readonly declare unset shift exit break continue echo test`
	kotlinKeywords = `as break class continue do else false for fun if in interface is null object
		package return super this throw true try typealias typeof val var when while by catch
		constructor delegate dynamic field file finally get import init param property receiver
		set setparam where abstract annotation companion const crossinline data enum expect
		external final infix inline inner internal lateinit noinline open operator out override
		private protected public reified sealed suspend tailrec vararg`
	swiftKeywords = `associatedtype class deinit enum extension fileprivate func import init inout
		internal let open operator private protocol public rethrows static struct subscript
		typealias var break case continue default defer do else fallthrough for guard if in
		repeat return switch where while as Any catch false is nil super self Self throw throws
		true try await async some weak unowned lazy mutating override final required convenience`
	scalaKeywords = `abstract case catch class def do else extends false final finally for forSome
		if implicit import lazy match new null object override package private protected return
		sealed super this throw trait try true type val var while with yield given using enum
		then export`
	perlKeywords = `my our local sub if elsif else unless while until for foreach do last next redo
		return package use require no and or not eq ne lt gt le ge cmp undef defined shift push
		pop keys values each print die eval wantarray bless ref`
	rKeywords = `if else repeat while function for next break TRUE FALSE NULL Inf NaN NA in
		return library require`
	luaKeywords = `and break do else elseif end false for function goto if in local nil not or
		repeat return then true until while self require`
	sqlKeywords = `select from where and or not insert into values update set delete create table
		drop alter add column index primary key foreign references join inner left right outer
		full on as group by order having limit offset union all distinct case when then else end
		null is in exists between like begin commit rollback transaction declare return returns
		function procedure trigger view if while loop for each row before after default constraint
		unique check int integer varchar text boolean date timestamp asc desc with recursive`
	haskellKeywords = `case class data default deriving do else foreign if import in infix infixl
		infixr instance let module newtype of then type where qualified as hiding forall mdo`
	dartKeywords = `abstract as assert async await base break case catch class const continue
		covariant default deferred do dynamic else enum export extends extension external factory
		false final finally for Function get hide if implements import in interface is late library
		mixin new null of on operator part required rethrow return sealed set show static super
		switch sync this throw true try typedef var void when while with yield`
	solidityKeywords = `abstract anonymous as assembly break calldata catch constant constructor
		continue contract delete do else emit enum error event external fallback false for function
		if immutable import indexed interface internal is library mapping memory modifier new
		override payable pragma private public pure receive return returns revert storage struct
		this true try type unchecked using view virtual while`
	groovyKeywords = `abstract as assert boolean break byte case catch char class const continue def
		default do double else enum extends false final finally float for goto if implements import
		in instanceof int interface long native new null package private protected public return
		short static strictfp super switch synchronized this throw throws trait transient true try
		var void volatile while`
	zigKeywords = `addrspace align allowzero and anyframe anytype asm async await break callconv catch
		comptime const continue defer else enum errdefer error export extern fn for if inline
		linksection noalias noinline nosuspend opaque or orelse packed pub resume return struct
		suspend switch test threadlocal try union unreachable usingnamespace var volatile while
		true false null undefined`
	powershellKeywords = `begin break catch class continue data do dynamicparam else elseif end enum
		exit filter finally for foreach function hidden if in param process return static switch
		throw trap try until using while`
	elixirKeywords = `after alias and case catch cond def defp defmacro defmacrop defmodule defprotocol
		defimpl defstruct do else end false fn for if import in nil not or quote raise receive
		require rescue true try unless unquote use when with`
)

// syntaxTable holds the syntax of every language. It is built once and
// never modified.
var syntaxTable = syntaxes()

// syntaxes builds the syntax table of every language.
func syntaxes() [numLangs]*syntax {
	var t [numLangs]*syntax
	cLike := func(keywords string) *syntax {
		return &syntax{slashComments: true, charLiteral: true, abstract: true, keywords: newKwSet(keywords)}
	}
	t[Unknown] = &syntax{text: true}
	t[Text] = &syntax{text: true}
	t[Go] = cLike(goKeywords)
	t[Go].backtick = true
	t[Go].backtickRaw = true
	t[C] = cLike(cKeywords)
	t[C].stringPrefix = true
	t[C].rawDelim = true
	t[C].directives = true
	t[Java] = cLike(javaKeywords)
	t[Java].tripleQuote = true
	t[Java].atIdent = true
	t[JavaScript] = &syntax{slashComments: true, singleQuote: true, backtick: true, dollarIdent: true,
		regexLiteral: true, abstract: true, keywords: newKwSet(jsKeywords)}
	t[Python] = &syntax{hashComment: true, singleQuote: true, tripleQuote: true, stringPrefix: true,
		abstract: true, keywords: newKwSet(pyKeywords)}
	t[Rust] = cLike(rustKeywords)
	t[Rust].nestedBlock = true
	t[Rust].lifetimes = true
	t[Rust].stringPrefix = true
	t[Rust].rawHash = true
	t[CSharp] = cLike(csKeywords)
	t[CSharp].directives = true
	t[CSharp].verbatim = true
	t[CSharp].tripleQuote = true
	t[PHP] = &syntax{slashComments: true, hashComment: true, singleQuote: true, backtick: true,
		dollarIdent: true, abstract: true, keywords: newKwSet(phpKeywords)}
	t[Ruby] = &syntax{hashComment: true, singleQuote: true, backtick: true, atIdent: true, dollarIdent: true,
		podBlocks: true, regexLiteral: true, abstract: true, keywords: newKwSet(rubyKeywords)}
	t[Shell] = &syntax{hashComment: true, hashWordStart: true, singleQuote: true, backtick: true,
		dollarIdent: true, abstract: true, keywords: newKwSet(shKeywords)}
	t[Kotlin] = cLike(kotlinKeywords)
	t[Kotlin].nestedBlock = true
	t[Kotlin].tripleQuote = true
	t[Kotlin].backtickIdent = true
	t[Swift] = &syntax{slashComments: true, nestedBlock: true, tripleQuote: true, backtickIdent: true,
		abstract: true, keywords: newKwSet(swiftKeywords)}
	t[Scala] = cLike(scalaKeywords)
	t[Scala].nestedBlock = true
	t[Scala].tripleQuote = true
	t[Scala].backtickIdent = true
	t[Perl] = &syntax{hashComment: true, singleQuote: true, backtick: true, dollarIdent: true,
		podBlocks: true, abstract: true, keywords: newKwSet(perlKeywords)}
	t[R] = &syntax{hashComment: true, singleQuote: true, backtickIdent: true, abstract: true,
		keywords: newKwSet(rKeywords)}
	t[Lua] = &syntax{dashComment: true, luaLong: true, singleQuote: true, abstract: true,
		keywords: newKwSet(luaKeywords)}
	t[SQL] = &syntax{slashComments: true, dashComment: true, singleQuote: true, backtickIdent: true,
		foldCase: true, abstract: true, keywords: newKwSet(sqlKeywords)}
	t[Haskell] = &syntax{dashComment: true, haskellBlock: true, charLiteral: true, primeIdent: true,
		abstract: true, keywords: newKwSet(haskellKeywords)}
	// Assembly keeps its identifiers: instructions and registers are what
	// distinguish one routine from another.
	t[Asm] = &syntax{slashComments: true, semiComment: true, charLiteral: true}
	t[Dart] = cLike(dartKeywords)
	t[Dart].singleQuote = true
	t[Dart].tripleQuote = true
	t[Dart].stringPrefix = true
	t[Dart].dollarIdent = true
	t[Solidity] = cLike(solidityKeywords)
	t[Solidity].singleQuote = true
	t[Groovy] = cLike(groovyKeywords)
	t[Groovy].singleQuote = true
	t[Groovy].tripleQuote = true
	t[Groovy].dollarIdent = true
	t[Groovy].atIdent = true
	t[Zig] = cLike(zigKeywords)
	t[Zig].lineStrings = true
	t[Zig].atIdent = true
	t[PowerShell] = &syntax{hashComment: true, angleHash: true, singleQuote: true, dollarIdent: true,
		foldCase: true, abstract: true, keywords: newKwSet(powershellKeywords)}
	t[Elixir] = &syntax{hashComment: true, singleQuote: true, tripleQuote: true, atIdent: true,
		abstract: true, keywords: newKwSet(elixirKeywords)}
	t[Markup] = &syntax{abstract: true, script: t[JavaScript]}
	for _, l := range []Lang{Shell, Ruby, PHP, Perl, R, SQL, PowerShell, Elixir} {
		t[l].multilineStr = true
	}
	return t
}
