// Package spdxindex matches full license texts the way the SPDX License
// List Matching Guidelines define a match.
//
// The index (index.bin, embedded) is compiled by internal/spdxgen with
// go generate from the texts of the SPDX License List (npm package
// spdx-license-list, pinned by version and integrity), the license
// patterns of github.com/google/licensecheck and the license texts and
// headers of github.com/google/licenseclassifier/v2's assets. It holds no
// readable text: per text, its IDs (texts identical word for word share
// an entry), name, OSI approval, deprecation, and its words as positions
// in a vocabulary of word hashes, with optional words (a title, a "How to
// Apply" appendix) and slots for replaceable text ("<year>", "[name of
// copyright owner]") marked; Index.Version records the data's versions.
//
// Tokenize is the one tokenizer of the generator and the matcher. A
// Matcher picks candidate texts by the sampled five-word shingles an input
// shares with them, aligns each with the input (a longest common
// subsequence of words, internal/lcs) and measures Coverage (required
// words found in order), Extra (input words inside the match that the
// text lacks) and Confidence (matched over required plus extra words).
// A match whose input adds, or lacks, a run of words longer than a
// clause is not a match, nor one that adds, lacks or changes a word of
// the license's terms (must, may, not, only, except, permission, ...)
// within a clause, since replaceable text is names and years, nor one
// that repeats a run of the license's words (a line written twice). A
// text that another source files under a license whose SPDX text it does
// not match names the license whose text it is, or else ranks after
// every text that is its license's (see Matcher.ownID). Of near
// variants found on the same words (the
// BSD and MIT families), a text that misses a clause of its own that the
// other text lacks is dropped (see dropLackingClauses). Find keeps the
// best non-overlapping matches, so several texts in one file are each
// found with their own span, and a text made of licenses that the index
// also holds apart (Python-2.0, SSH-OpenSSH) is one match. Confidence
// measures a license another classifier names on the same scale; Holds
// and PartOf tell whether words are a license text's own (a statement
// inside it, a text that is a part of a longer one).
package spdxindex
