package report

// sourceState says, for a source that was read back where it was indexed
// and found changed or gone, what happened to it; "" for any other
// source.
func sourceState(s Source) string {
	switch {
	case s.SourceGone:
		return "the source file is no longer where it was indexed"
	case s.SourceChanged:
		return "the source file changed since it was indexed"
	}
	return ""
}
