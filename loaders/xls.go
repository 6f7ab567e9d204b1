package loaders

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
	"unicode/utf16"
)

// A reader of the first worksheet of an old binary Excel workbook (.xls,
// BIFF8, Excel 97–2003), the format 爱企查 downloads come in. The Go
// modules the proxy serves for it are unmaintained and panic on real files
// (docs/registry-formats.md), so this is our own, reading only what a
// firm list needs: the compound-file container (MS-CFB) and, in its
// Workbook stream, the sheet list, the shared strings and the cell records
// that hold values (MS-XLS). Formatting is not read: numbers come as
// written, dates as Excel serials, as in the XLSX reader. Every length and
// index in the file is checked before use, chains of sectors may not loop,
// and the file and its streams are bounded.

// maxXLSFile is the largest .xls read. BIFF8 holds at most 65,536 rows of
// 256 columns; exports of firm lists are a few MB to a few tens.
const maxXLSFile = 128 << 20

// errXLS is wrapped by the errors of an unreadable .xls.
var errXLS = errors.New("not a readable .xls (BIFF8) workbook")

func xlsErr(format string, a ...any) error {
	return fmt.Errorf("%w: %s", errXLS, fmt.Sprintf(format, a...))
}

// cfb is an opened compound file: its FAT, mini FAT and directory.
type cfb struct {
	r          io.ReaderAt
	size       int64
	sectorSize int64
	nSectors   int // sectors in the file: no chain is longer
	fat        []uint32
	miniFAT    []uint32
	miniStream []byte
	dir        []cfbEntry
}

type cfbEntry struct {
	name  string
	typ   byte // 1 storage, 2 stream, 5 root
	start uint32
	size  uint64
}

const (
	cfbEndOfChain = 0xFFFFFFFE
	cfbFree       = 0xFFFFFFFF
	cfbMaxRegSect = 0xFFFFFFFA
)

func openCFB(r io.ReaderAt, size int64) (*cfb, error) {
	if size < 512 || size > maxXLSFile {
		return nil, xlsErr("%d bytes: a workbook of at least 512 bytes and at most %d MB is read", size, maxXLSFile>>20)
	}
	var h [512]byte
	if _, err := r.ReadAt(h[:], 0); err != nil {
		return nil, xlsErr("header: %v", err)
	}
	if string(h[:8]) != "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1" {
		return nil, xlsErr("no compound-file signature")
	}
	le := binary.LittleEndian
	shift := le.Uint16(h[30:])
	if shift != 9 && shift != 12 {
		return nil, xlsErr("sector shift %d", shift)
	}
	c := &cfb{r: r, size: size, sectorSize: 1 << shift}
	c.nSectors = int((size - 512 + c.sectorSize - 1) / c.sectorSize)
	if err := c.readFAT(h[:]); err != nil {
		return nil, err
	}
	if err := c.readDir(le.Uint32(h[48:]), shift == 9); err != nil {
		return nil, err
	}
	if err := c.readMiniStream(le.Uint32(h[60:]), le.Uint32(h[64:])); err != nil {
		return nil, err
	}
	return c, nil
}

// readFAT reads the FAT, whose sectors are listed by the header (109) and
// then by the DIFAT chain.
func (c *cfb) readFAT(h []byte) error {
	le := binary.LittleEndian
	fatSectors := appendSectorIDs(nil, h[76:76+4*109])
	difat := le.Uint32(h[68:])
	for seen := 0; difat <= cfbMaxRegSect; seen++ {
		if seen > c.nSectors {
			return xlsErr("the DIFAT chain loops")
		}
		b, err := c.sector(difat)
		if err != nil {
			return err
		}
		if len(b) < 4 {
			return xlsErr("DIFAT sector %d is cut short", difat)
		}
		n := len(b)/4 - 1 // the last entry links the next DIFAT sector
		fatSectors = appendSectorIDs(fatSectors, b[:4*n])
		difat = le.Uint32(b[4*n:])
	}
	if len(fatSectors) > c.nSectors {
		return xlsErr("more FAT sectors than the file has")
	}
	for _, s := range fatSectors {
		b, err := c.sector(s)
		if err != nil {
			return err
		}
		c.fat = appendUint32s(c.fat, b)
	}
	return nil
}

// readDir reads the directory's 128-byte entries from its first sector;
// v3 says the file is of version 3 (512-byte sectors).
func (c *cfb) readDir(start uint32, v3 bool) error {
	le := binary.LittleEndian
	dirBytes, err := c.chain(start, -1)
	if err != nil {
		return fmt.Errorf("directory: %w", err)
	}
	for i := 0; i+128 <= len(dirBytes); i += 128 {
		e := dirBytes[i : i+128]
		n := int(le.Uint16(e[64:]))
		if n > 64 || n%2 != 0 {
			n = 0
		}
		u := make([]uint16, 0, 32)
		for j := 0; j+2 <= n; j += 2 {
			if v := le.Uint16(e[j:]); v != 0 {
				u = append(u, v)
			}
		}
		size := le.Uint64(e[120:])
		if v3 {
			size &= 0xFFFFFFFF // version 3 files may leave the high half undefined
		}
		c.dir = append(c.dir, cfbEntry{name: string(utf16.Decode(u)), typ: e[66], start: le.Uint32(e[116:]), size: size})
	}
	if len(c.dir) == 0 || c.dir[0].typ != 5 {
		return xlsErr("no root entry")
	}
	return nil
}

// readMiniStream reads the mini FAT (from its first sector, of count
// sectors) and the mini stream (the root's stream), which hold the small
// streams.
func (c *cfb) readMiniStream(miniFATStart, count uint32) error {
	if count == 0 || miniFATStart > cfbMaxRegSect {
		return nil
	}
	b, err := c.chain(miniFATStart, -1)
	if err != nil {
		return fmt.Errorf("mini FAT: %w", err)
	}
	c.miniFAT = appendUint32s(c.miniFAT, b)
	root := c.dir[0]
	if root.size > uint64(c.size) {
		return xlsErr("a mini stream larger than the file")
	}
	if c.miniStream, err = c.chain(root.start, int64(root.size)); err != nil {
		return fmt.Errorf("mini stream: %w", err)
	}
	return nil
}

// appendUint32s appends the little-endian uint32s of b to dst.
func appendUint32s(dst []uint32, b []byte) []uint32 {
	for i := 0; i+4 <= len(b); i += 4 {
		dst = append(dst, binary.LittleEndian.Uint32(b[i:]))
	}
	return dst
}

// appendSectorIDs appends the sector numbers listed in b to dst, skipping
// the free and end-of-chain markers.
func appendSectorIDs(dst []uint32, b []byte) []uint32 {
	for i := 0; i+4 <= len(b); i += 4 {
		if s := binary.LittleEndian.Uint32(b[i:]); s <= cfbMaxRegSect {
			dst = append(dst, s)
		}
	}
	return dst
}

// sector reads one sector.
func (c *cfb) sector(s uint32) ([]byte, error) {
	off := 512 + int64(s)*c.sectorSize
	if s > cfbMaxRegSect || off >= c.size {
		return nil, xlsErr("sector %d is outside the file", s)
	}
	b := make([]byte, c.sectorSize)
	n, err := c.r.ReadAt(b, off)
	if err != nil && !(errors.Is(err, io.EOF) && n > 0) {
		return nil, xlsErr("sector %d: %v", s, err)
	}
	return b[:n], nil
}

// chain reads a chain of sectors from start; size, when not -1, is the
// stream's length.
func (c *cfb) chain(start uint32, size int64) ([]byte, error) {
	var out []byte
	for n := 0; start != cfbEndOfChain; n++ {
		if n >= c.nSectors || start >= uint32(len(c.fat)) {
			return nil, xlsErr("a sector chain loops or leaves the FAT")
		}
		b, err := c.sector(start)
		if err != nil {
			return nil, err
		}
		out = append(out, b...)
		if size >= 0 && int64(len(out)) >= size {
			return out[:size], nil
		}
		start = c.fat[start]
	}
	if size >= 0 && int64(len(out)) < size {
		return nil, xlsErr("a stream ends before its size")
	}
	return out, nil
}

// miniChain reads a stream stored in the mini stream (64-byte sectors).
func (c *cfb) miniChain(start uint32, size int64) ([]byte, error) {
	var out []byte
	for n := 0; start != cfbEndOfChain && int64(len(out)) < size; n++ {
		if n > len(c.miniStream)/64 || start >= uint32(len(c.miniFAT)) {
			return nil, xlsErr("a mini-sector chain loops or leaves the mini FAT")
		}
		off := int64(start) * 64
		if off+64 > int64(len(c.miniStream)) {
			return nil, xlsErr("mini sector %d is outside the mini stream", start)
		}
		out = append(out, c.miniStream[off:off+64]...)
		start = c.miniFAT[start]
	}
	if int64(len(out)) < size {
		return nil, xlsErr("a stream ends before its size")
	}
	return out[:size], nil
}

// stream reads a stream by name.
func (c *cfb) stream(name string) ([]byte, error) {
	for _, e := range c.dir {
		if e.typ == 2 && strings.EqualFold(e.name, name) {
			if e.size > uint64(c.size) {
				return nil, xlsErr("stream %s is larger than the file", name)
			}
			if e.size < 4096 {
				return c.miniChain(e.start, int64(e.size))
			}
			return c.chain(e.start, int64(e.size))
		}
	}
	return nil, errNoStream
}

var errNoStream = errors.New("no such stream")

// BIFF8 record types read.
const (
	biffBOF        = 0x0809
	biffEOF        = 0x000A
	biffBoundSheet = 0x0085
	biffSST        = 0x00FC
	biffContinue   = 0x003C
	biffLabelSST   = 0x00FD
	biffLabel      = 0x0204
	biffNumber     = 0x0203
	biffRK         = 0x027E
	biffMulRK      = 0x00BD
	biffFormula    = 0x0006
	biffString     = 0x0207
	biffBoolErr    = 0x0205
	biffFilePass   = 0x002F
)

// biffRecord is a record with the CONTINUE records that follow it, as
// segments: a string's characters that cross into a CONTINUE start there
// with a new option byte.
type biffRecord struct {
	typ  uint16
	segs [][]byte
}

// biffRecords splits a Workbook stream into records from off.
func biffRecords(wb []byte, off int, fn func(r biffRecord) (bool, error)) error {
	le := binary.LittleEndian
	for off+4 <= len(wb) {
		typ, n := le.Uint16(wb[off:]), int(le.Uint16(wb[off+2:]))
		if off+4+n > len(wb) {
			return xlsErr("a record runs past the stream")
		}
		rec := biffRecord{typ: typ, segs: [][]byte{wb[off+4 : off+4+n]}}
		off += 4 + n
		for off+4 <= len(wb) && le.Uint16(wb[off:]) == biffContinue {
			m := int(le.Uint16(wb[off+2:]))
			if off+4+m > len(wb) {
				return xlsErr("a record runs past the stream")
			}
			rec.segs = append(rec.segs, wb[off+4:off+4+m])
			off += 4 + m
		}
		more, err := fn(rec)
		if err != nil || !more {
			return err
		}
	}
	return nil
}

// biffCursor reads across a record's segments.
type biffCursor struct {
	segs [][]byte
	seg  int
	off  int
}

var errBIFFShort = fmt.Errorf("%w: a record is shorter than its contents", errXLS)

func (c *biffCursor) bytes(n int) ([]byte, error) {
	var out []byte
	for n > 0 {
		if c.seg >= len(c.segs) {
			return nil, errBIFFShort
		}
		s := c.segs[c.seg]
		k := min(n, len(s)-c.off)
		out = append(out, s[c.off:c.off+k]...)
		c.off += k
		n -= k
		if c.off == len(s) {
			c.seg++
			c.off = 0
		}
	}
	return out, nil
}

func (c *biffCursor) u8() (byte, error) {
	b, err := c.bytes(1)
	if err != nil {
		return 0, err
	}
	return b[0], nil
}

func (c *biffCursor) u16() (uint16, error) {
	b, err := c.bytes(2)
	if err != nil {
		return 0, err
	}
	return binary.LittleEndian.Uint16(b), nil
}

func (c *biffCursor) u32() (uint32, error) {
	b, err := c.bytes(4)
	if err != nil {
		return 0, err
	}
	return binary.LittleEndian.Uint32(b), nil
}

// unicodeString reads an XLUnicodeRichExtendedString (SST) or, with
// rich false, an XLUnicodeString: a count of characters, an option byte,
// and the characters (one byte each, or UTF-16), with formatting runs and
// phonetic data skipped. Characters that continue into the next segment
// start there with a new option byte.
func (c *biffCursor) unicodeString(cch int, rich bool) (string, error) {
	opt, err := c.u8()
	if err != nil {
		return "", err
	}
	runs, ext := 0, 0
	if rich && opt&0x08 != 0 {
		n, err := c.u16()
		if err != nil {
			return "", err
		}
		runs = int(n)
	}
	if rich && opt&0x04 != 0 {
		n, err := c.u32()
		if err != nil {
			return "", err
		}
		ext = int(n)
	}
	u := make([]uint16, 0, min(cch, 1<<16))
	high := opt&0x01 != 0
	// seg is the segment the characters are being read from; a character
	// found in another one starts a continuation, with its option byte.
	seg := c.seg
	if c.seg < len(c.segs) && c.off == 0 && c.seg > 0 {
		seg = c.seg - 1 // the header ended its segment
	}
	for len(u) < cch {
		if c.seg >= len(c.segs) {
			return "", errBIFFShort
		}
		if c.seg != seg {
			o, err := c.u8()
			if err != nil {
				return "", err
			}
			high = o&0x01 != 0
		}
		seg = c.seg
		if high {
			v, err := c.u16()
			if err != nil {
				return "", err
			}
			u = append(u, v)
		} else {
			b, err := c.u8()
			if err != nil {
				return "", err
			}
			u = append(u, uint16(b))
		}
	}
	if _, err := c.bytes(4*runs + ext); err != nil {
		return "", err
	}
	return string(utf16.Decode(u)), nil
}

// xlsSheet is the first worksheet of a workbook, read whole: rows of cells
// by row number.
type xlsSheet struct {
	name string
	rows map[int][]string
	max  int // the highest row number with a cell
}

// maxXLSCells bounds the cells a sheet may have (BIFF8's own limit).
const maxXLSCells = 65536 * 256

// readXLS reads the first worksheet of a BIFF8 workbook.
func readXLS(r io.ReaderAt, size int64) (*xlsSheet, error) {
	c, err := openCFB(r, size)
	if err != nil {
		return nil, err
	}
	wb, err := workbookStream(c)
	if err != nil {
		return nil, err
	}
	g, err := readXLSGlobals(wb)
	if err != nil {
		return nil, err
	}
	if g.sheetOff < 0 || g.sheetOff >= len(wb) {
		return nil, xlsErr("no worksheet")
	}
	cr := &xlsCellReader{sst: g.sst, sh: &xlsSheet{name: g.sheetName, rows: map[int][]string{}}, pendingRow: -1, pendingCol: -1}
	if err := biffRecords(wb, g.sheetOff, cr.record); err != nil {
		return nil, err
	}
	return cr.sh, nil
}

// workbookStream reads the Workbook stream, telling an Excel 5/95 file
// (whose stream is called Book) from one that is no workbook at all.
func workbookStream(c *cfb) ([]byte, error) {
	wb, err := c.stream("Workbook")
	if errors.Is(err, errNoStream) {
		if _, berr := c.stream("Book"); berr == nil {
			return nil, xlsErr("an Excel 5/95 (BIFF5) workbook; only Excel 97–2003 (BIFF8) .xls files are read")
		}
		return nil, xlsErr("no Workbook stream: not an Excel workbook")
	}
	return wb, err
}

// xlsGlobals is what the workbook globals say about the cells: the shared
// strings and where the first worksheet starts.
type xlsGlobals struct {
	sst       []string
	sheetOff  int // -1 when the workbook lists no worksheet
	sheetName string
	seenBOF   bool
}

// readXLSGlobals reads the workbook globals, the records up to their EOF.
func readXLSGlobals(wb []byte) (*xlsGlobals, error) {
	g := &xlsGlobals{sheetOff: -1}
	err := biffRecords(wb, 0, func(rec biffRecord) (bool, error) {
		cur := &biffCursor{segs: rec.segs}
		switch rec.typ {
		case biffBOF:
			return true, g.bof(cur)
		case biffFilePass:
			return false, xlsErr("the workbook is password-protected; save it without a password")
		case biffBoundSheet:
			return true, g.boundSheet(cur)
		case biffSST:
			return true, g.sharedStrings(cur, len(wb))
		case biffEOF:
			return false, nil
		}
		return true, nil
	})
	return g, err
}

// bof checks the version in the first BOF record: only BIFF8 is read.
func (g *xlsGlobals) bof(cur *biffCursor) error {
	if g.seenBOF {
		return nil
	}
	g.seenBOF = true
	v, err := cur.u16()
	if err != nil {
		return err
	}
	if v != 0x0600 {
		return xlsErr("BIFF version %#x; only Excel 97–2003 (BIFF8) .xls files are read", v)
	}
	return nil
}

// boundSheet reads a BOUNDSHEET8 record and keeps the first worksheet (not
// a chart or macro sheet).
func (g *xlsGlobals) boundSheet(cur *biffCursor) error {
	pos, err := cur.u32()
	if err != nil {
		return err
	}
	hs, err := cur.bytes(2)
	if err != nil {
		return err
	}
	n, err := cur.u8()
	if err != nil {
		return err
	}
	name, err := cur.unicodeString(int(n), false)
	if err != nil {
		return err
	}
	if g.sheetOff < 0 && hs[1] == 0 {
		g.sheetOff, g.sheetName = int(pos), name
	}
	return nil
}

// sharedStrings reads the SST record, in a stream of streamLen bytes.
func (g *xlsGlobals) sharedStrings(cur *biffCursor, streamLen int) error {
	if _, err := cur.bytes(4); err != nil {
		return err
	}
	n, err := cur.u32()
	if err != nil {
		return err
	}
	if int64(n) > int64(streamLen) { // each string takes at least 3 bytes
		return xlsErr("a shared-string table of %d strings in a stream of %d bytes", n, streamLen)
	}
	g.sst = make([]string, 0, n)
	for i := 0; i < int(n); i++ {
		cch, err := cur.u16()
		if err != nil {
			return err
		}
		s, err := cur.unicodeString(int(cch), true)
		if err != nil {
			return fmt.Errorf("shared string %d: %w", i, err)
		}
		g.sst = append(g.sst, s)
	}
	return nil
}

// xlsCellReader fills a sheet from the cell records of its substream.
type xlsCellReader struct {
	sst   []string
	sh    *xlsSheet
	cells int
	// pendingRow and pendingCol name a formula whose string result is in
	// the STRING record that follows; -1 when there is none.
	pendingRow, pendingCol int
}

// set writes one cell's value.
func (cr *xlsCellReader) set(row, col int, v string) error {
	if col > 255 {
		return xlsErr("a cell in column %d; BIFF8 has 256", col+1)
	}
	if cr.cells++; cr.cells > maxXLSCells {
		return xlsErr("more cells than a BIFF8 sheet holds")
	}
	sh := cr.sh
	r := sh.rows[row]
	for len(r) <= col {
		r = append(r, "")
	}
	r[col] = v
	sh.rows[row] = r
	sh.max = max(sh.max, row)
	return nil
}

// record reads one record of the sheet; it stops at the sheet's EOF.
func (cr *xlsCellReader) record(rec biffRecord) (bool, error) {
	cur := &biffCursor{segs: rec.segs}
	switch rec.typ {
	case biffEOF:
		return false, nil
	case biffLabelSST:
		return true, cr.labelSST(cur)
	case biffLabel:
		return true, cr.label(cur)
	case biffNumber:
		return true, cr.number(cur)
	case biffRK:
		return true, cr.rk(cur)
	case biffMulRK:
		return true, cr.mulRK(cur, len(rec.segs[0]))
	case biffFormula:
		return true, cr.formula(cur)
	case biffString:
		return true, cr.formulaString(cur)
	case biffBoolErr:
		return true, cr.boolErr(cur)
	}
	return true, nil
}

// rowCol reads the row, column and format index that start a cell record.
func rowCol(cur *biffCursor) (int, int, error) {
	b, err := cur.bytes(6)
	if err != nil {
		return 0, 0, err
	}
	return int(binary.LittleEndian.Uint16(b)), int(binary.LittleEndian.Uint16(b[2:])), nil
}

// cellWith reads a cell's row and column and the n bytes of value that
// follow them.
func cellWith(cur *biffCursor, n int) (row, col int, b []byte, err error) {
	if row, col, err = rowCol(cur); err != nil {
		return 0, 0, nil, err
	}
	b, err = cur.bytes(n)
	return row, col, b, err
}

// labelSST reads a cell that holds a shared string.
func (cr *xlsCellReader) labelSST(cur *biffCursor) error {
	row, col, err := rowCol(cur)
	if err != nil {
		return err
	}
	i, err := cur.u32()
	if err != nil {
		return err
	}
	if int(i) >= len(cr.sst) {
		return xlsErr("cell %s refers to shared string %d of %d", cellName(row, col), i, len(cr.sst))
	}
	return cr.set(row, col, cr.sst[i])
}

// label reads a cell that holds its own string.
func (cr *xlsCellReader) label(cur *biffCursor) error {
	row, col, err := rowCol(cur)
	if err != nil {
		return err
	}
	n, err := cur.u16()
	if err != nil {
		return err
	}
	s, err := cur.unicodeString(int(n), false)
	if err != nil {
		return err
	}
	return cr.set(row, col, s)
}

// number reads a cell that holds a double.
func (cr *xlsCellReader) number(cur *biffCursor) error {
	row, col, b, err := cellWith(cur, 8)
	if err != nil {
		return err
	}
	return cr.set(row, col, formatXLSNumber(math.Float64frombits(binary.LittleEndian.Uint64(b))))
}

// rk reads a cell that holds an RK number.
func (cr *xlsCellReader) rk(cur *biffCursor) error {
	row, col, err := rowCol(cur)
	if err != nil {
		return err
	}
	v, err := cur.u32()
	if err != nil {
		return err
	}
	return cr.set(row, col, formatXLSNumber(rkValue(v)))
}

// mulRK reads a run of RK numbers along a row; first is the length of the
// record's first segment, which holds the run.
func (cr *xlsCellReader) mulRK(cur *biffCursor, first int) error {
	le := binary.LittleEndian
	b, err := cur.bytes(4)
	if err != nil {
		return err
	}
	row, col := int(le.Uint16(b)), int(le.Uint16(b[2:]))
	rest := first - 4
	for k := 0; k < (rest-2)/6; k++ {
		x, err := cur.bytes(6)
		if err != nil {
			return err
		}
		if err := cr.set(row, col+k, formatXLSNumber(rkValue(le.Uint32(x[2:])))); err != nil {
			return err
		}
	}
	return nil
}

// formula reads a formula's cached result: a number, a boolean, or a
// string left pending for the STRING record that follows. Errors and empty
// results leave the cell empty.
func (cr *xlsCellReader) formula(cur *biffCursor) error {
	row, col, b, err := cellWith(cur, 8)
	if err != nil {
		return err
	}
	if binary.LittleEndian.Uint16(b[6:]) != 0xFFFF {
		return cr.set(row, col, formatXLSNumber(math.Float64frombits(binary.LittleEndian.Uint64(b))))
	}
	switch b[0] {
	case 0: // a string, in the STRING record that follows
		cr.pendingRow, cr.pendingCol = row, col
	case 1:
		return cr.set(row, col, xlsBool(b[2]))
	}
	return nil
}

// formulaString reads the STRING record that holds the pending formula's
// string result; one with no formula before it is skipped.
func (cr *xlsCellReader) formulaString(cur *biffCursor) error {
	if cr.pendingRow < 0 {
		return nil
	}
	n, err := cur.u16()
	if err != nil {
		return err
	}
	s, err := cur.unicodeString(int(n), false)
	if err != nil {
		return err
	}
	row, col := cr.pendingRow, cr.pendingCol
	cr.pendingRow, cr.pendingCol = -1, -1
	return cr.set(row, col, s)
}

// boolErr reads a cell that holds a boolean or an error; errors leave the
// cell empty.
func (cr *xlsCellReader) boolErr(cur *biffCursor) error {
	row, col, b, err := cellWith(cur, 2)
	if err != nil {
		return err
	}
	if b[1] == 0 {
		return cr.set(row, col, xlsBool(b[0]))
	}
	return nil
}

// xlsBool writes a boolean as XLSX does.
func xlsBool(b byte) string {
	if b != 0 {
		return "TRUE"
	}
	return "FALSE"
}

// rkValue decodes an RK number: a 30-bit integer or the high bits of a
// double, either possibly ×100.
func rkValue(v uint32) float64 {
	var f float64
	if v&0x02 != 0 {
		f = float64(int32(v) >> 2)
	} else {
		f = math.Float64frombits(uint64(v&0xFFFFFFFC) << 32)
	}
	if v&0x01 != 0 {
		f /= 100
	}
	return f
}

// formatXLSNumber writes a number as XLSX stores it: the shortest form
// that reads back the same.
func formatXLSNumber(f float64) string {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return ""
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}

// cellName names a cell as Excel does: (0, 1) → B1.
func cellName(row, col int) string {
	s := ""
	for c := col + 1; c > 0; c = (c - 1) / 26 {
		s = string(rune('A'+(c-1)%26)) + s
	}
	return s + strconv.Itoa(row+1)
}

// xlsTable serves the rows of a read sheet in order, skipping empty ones.
type xlsTable struct {
	sh   *xlsSheet
	row  int
	file string
}

// openXLS reads an .xls from r: the file itself when r is one, else a
// copy read into memory up to the size limit.
func openXLS(r io.Reader, head io.Reader, file string) (*xlsTable, error) {
	if u, ok := r.(interface{ underlying() io.Reader }); ok {
		r = u.underlying()
	}
	var sh *xlsSheet
	var err error
	if f, ok := r.(*os.File); ok {
		fi, serr := f.Stat()
		if serr == nil && fi.Mode().IsRegular() {
			sh, err = readXLS(f, fi.Size())
			return finishXLS(sh, err, file)
		}
	}
	b, rerr := io.ReadAll(io.LimitReader(head, maxXLSFile+1))
	if rerr != nil {
		return nil, rerr
	}
	sh, err = readXLS(bytesReaderAt(b), int64(len(b)))
	return finishXLS(sh, err, file)
}

func finishXLS(sh *xlsSheet, err error, file string) (*xlsTable, error) {
	if err != nil {
		if errors.Is(err, errXLS) || errors.Is(err, errBIFFShort) {
			return nil, fmt.Errorf("%w: %s: %v; open it in Excel or WPS and save it as .xlsx or CSV", ErrRejected, file, err)
		}
		return nil, err
	}
	return &xlsTable{sh: sh, file: file}, nil
}

type bytesReaderAt []byte

func (b bytesReaderAt) ReadAt(p []byte, off int64) (int, error) {
	if off < 0 || off >= int64(len(b)) {
		return 0, io.EOF
	}
	n := copy(p, b[off:])
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}

func (t *xlsTable) next() ([]string, int, error) {
	for t.row <= t.sh.max {
		r, ok := t.sh.rows[t.row]
		t.row++
		if ok && filledCells(r) > 0 {
			return r, t.row, nil
		}
	}
	return nil, 0, io.EOF
}

func (t *xlsTable) formatName() string { return "XLS (BIFF8)" }
func (t *xlsTable) sheetName() string  { return t.sh.name }
func (t *xlsTable) close() error       { return nil }
