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

// sourceNote says, for a source that changed or is gone since it was
// indexed, what that means for the finding; "" for any other source.
func sourceNote(s Source) string {
	if st := sourceState(s); st != "" {
		return st + ": the source lines are those indexed"
	}
	return ""
}
