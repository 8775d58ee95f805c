// Package corpus owns the snipscan index: an embedded bbolt database that
// holds the fingerprints, files, locations, packages, licenses and
// copyright holders of a corpus of licensed code. Nothing else in snipscan
// opens bbolt.
//
// # Layout
//
// All integers are big-endian unless marked varint (encoding/binary
// uvarint). IDs are uint32, allocated in increasing order.
//
//	meta      "schema"  -> uint32 schema version (SchemaVersion)
//	          "params"  -> JSON Params: fingerprint K, W, fingerprint.Version,
//	                       StopDF; fixed when the database is created
//	          "state"   -> JSON counters: next file, segment, root, package
//	                       and attribution IDs, totals
//	          "run"     -> JSON Run (start time): written by the first
//	                       transaction of an index or merge run (NewWriter),
//	                       deleted by its last (Writer.Finish); present, a
//	                       run did not finish and the database may lack
//	                       part of what it was adding (absent from files
//	                       written before it was introduced)
//	segs      segID     -> JSON segment record: state ("pending" or
//	                       "committed"), prefix bytes, keys, hashes, postings
//	fp        segID     -> nested bucket of one segment (see Postings)
//	files     fileID    -> file record: sum[16] size(varint) lines(varint)
//	                       tokens(varint) fingerprints(varint) lang(1)
//	                       normHash[8] segID(4)
//	content   sum[16]   -> fileID: identical content is stored once
//	norm      normHash[8] fileID -> "": whole-file lookup by normalized hash
//	locs      rootID path -> location record: fileID(4) size(varint)
//	                       mtime-ns(varint) pkgID(4) attrID(4) flags(1):
//	                       1 vendored, 2 test code, 4 test code decided
//	                       (absent from locations written before it was
//	                       introduced)
//	fileLocs  fileID rootID path -> "": every location of a file
//	roots     rootID    -> JSON Root (path, kind)
//	pkgs      pkgID     -> JSON Package; pkgKeys: rootID dir -> pkgID,
//	                       and 0(4) "id" 0 ecosystem 0 name 0 version 0
//	                       v|- (vendored or not) -> pkgID for a package
//	                       with a version, recorded once under any root
//	attrs     attrID    -> JSON Attribution (license expression, source,
//	                       copyrights, holders); attrKeys: hash -> attrID
//	dead      fileID    -> "": files with no location left
//	rwUnits   unitID    -> rewrite unit: fileID(4) line(varint)
//	                       span(varint) funcLine-line(varint)
//	                       funcSpan(varint) stmts(varint) features(varint)
//	rwPost    prefix(2) -> the features whose top 16 bits are prefix, in
//	                       increasing order, each: low-bits delta (varint)
//	                       df (varint) df unit-ID deltas (varint)
//	rwNorm    unitID    -> float32 total weight, float32 anchor weight
//	                       (sums of the IDF of the unit's features)
//	meta      "rewrite" -> JSON RewriteInfo: feature version, units, the
//	                       rare threshold, next unit ID merged
//
// # Rewrite units
//
// The rewrite stage (package rewrite) describes every function of a
// non-test Go file by a bag of 32-bit features. Units are committed with
// their files; their features are held in memory and merged into rwPost
// by Writer.Finish, which rebuilds rwPost and rwNorm from the old postings
// and the new features (a cost that grows with the corpus, not the run).
// A run killed before Finish leaves units without postings: the next
// writer removes them (their files keep their fingerprints; their
// rewrites are found again once the database is re-created). Features of
// every frequency have postings (about 6 MB for GOROOT/src's 23,000
// functions), so that no unit needs its bag stored: a scan reads the
// postings of its own features and learns from them which candidates
// hold which. Units of removed files are dropped at the next rebuild.
//
// # Postings
//
// Fingerprints are written in segments: each flush of the writer sorts its
// buffer by hash and writes one nested bucket of fp, never touched again
// (bbolt's fast sequential-insert path, FillPercent 1.0). The buffer is
// kept in fixed chunks partitioned by the top byte of the hash, so a flush
// sorts one small partition at a time, in a goroutine, while the previous
// batch is committed. Within a segment the key is the top PrefixBits bits
// of the hash, in PrefixBytes big-endian bytes (16 bits for segments of up
// to about 2.2 M postings, one more bit per doubling, at most 24: some 24
// postings per key, so that a lookup's work does not grow with the
// corpus; databases written before PrefixBits record 8*PrefixBytes), and
// the value is the group of every hash sharing that prefix, in increasing
// order:
//
//	repeat: suffix delta (varint, from the previous suffix of the group)
//	        header (varint): postings<<1 | stopped
//	        if stopped: df (varint)  -- more than StopDF files hold the
//	                                    hash: boilerplate, not stored
//	        else postings times: file delta (varint) line (varint)
//	                              line span (varint) exact (2 bytes)
//	                              anchor (1 byte)
//	                 (at most MaxPerFile postings per file and hash)
//
// Grouping costs one bbolt key per ~16 hashes instead of one per hash:
// the database is about half the size.
//
// # Shards
//
// Writer.Merge copies another database into this one: its postings are
// decoded segment by segment, their file IDs renumbered, and buffered as
// the writer buffers a fingerprinted file's (a hash the other database
// stopped is buffered as one marker posting, file 0, that carries its
// document frequency). Union reads several databases as one without
// merging them.
//
// # Crash safety and resume
//
// A segment is first recorded as pending, filled over several
// transactions, and committed by a final transaction that also writes the
// records of its files, their locations, packages and attributions. A run
// killed at any point leaves committed segments intact; the next writer
// deletes pending segments, and the files they held are indexed again.
// Until a run finishes, the database is marked unfinished (meta "run"):
// readers can tell a corpus a killed run left half-written from a
// complete one (DB.Unfinished), while a running writer
// holds bbolt's exclusive file lock, for which read-only opens wait.
// Bulk loads run with NoSync and sync once at Close: a killed process loses
// nothing the kernel has, a power failure may lose the last run.
//
// # History
//
// Schema 1: the layout above, without the rw buckets.
// Schema 2: the rewrite units (rwUnits, rwPost, rwNorm, meta "rewrite").
// A database of schema 1 opens read-only (scans run without the rewrite
// stage, and say so in the log); opening it for writing is refused with
// ErrSchemaMismatch: its files have no units, and it must be re-created.
package corpus
