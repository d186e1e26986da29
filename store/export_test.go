package store

import "time"

// ReadWrittenDay exposes writtenDay's reading to the tests.
func ReadWrittenDay(v []byte) (time.Time, bool) {
	var w writtenDay
	_ = w.ScanBytes(v)
	return w.day(), w.ok
}

// WrittenDayScanner is a writtenDay for a test to scan rows into, one
// after the other, as the centre's read reuses one.
func WrittenDayScanner() (scanner any, read func() (time.Time, bool)) {
	w := &writtenDay{}
	return w, func() (time.Time, bool) { return w.day(), w.ok }
}

// FileEventKinds are the timeline kinds the file checks read.
var FileEventKinds = fileEventKinds
