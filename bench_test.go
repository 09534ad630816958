package ghactions

import (
	"bytes"
	"encoding/json"
	"os"
	"strconv"
	"testing"

	jsonv2 "github.com/go-json-experiment/json"
)

// benchPage builds a page of n runs from the seed's list example, each with
// its own ID (and the URLs that hold it), as a real page has.
func benchPage(tb testing.TB, n int) []byte {
	tb.Helper()
	raw, err := os.ReadFile("testdata/list_runs.json")
	if err != nil {
		tb.Fatal(err)
	}
	var page struct {
		WorkflowRuns []json.RawMessage `json:"workflow_runs"`
	}
	if err := json.Unmarshal(raw, &page); err != nil {
		tb.Fatal(err)
	}
	var compact bytes.Buffer
	if err := json.Compact(&compact, page.WorkflowRuns[0]); err != nil {
		tb.Fatal(err)
	}
	run := compact.Bytes()
	var b bytes.Buffer
	b.WriteString(`{"total_count":` + strconv.Itoa(n) + `,"workflow_runs":[`)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		b.Write(bytes.ReplaceAll(run, []byte("30433642"), []byte(strconv.Itoa(30433642+i))))
	}
	b.WriteString("]}")
	return b.Bytes()
}

// distinctPage is benchPage with every user and repository different from
// every other (its node ID numbered): nothing comes again, which is the worst
// case for the intern table.
func distinctPage(tb testing.TB, n int) []byte {
	tb.Helper()
	parts := bytes.Split(benchPage(tb, n), []byte(`"node_id":"`))
	var b bytes.Buffer
	for i, p := range parts {
		if i > 0 {
			b.WriteString(`"node_id":"` + strconv.Itoa(i))
		}
		b.Write(p)
	}
	return b.Bytes()
}

func BenchmarkDecodePage(b *testing.B) {
	data := benchPage(b, 100)
	// What ListPage and List decode pages with: runs one at a time, with the
	// per_page cap checked as they come.
	b.Run("page_decoder", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		for b.Loop() {
			p, err := decodePage[WorkflowRun](bytes.NewReader(data), runsKey, 100)
			if err != nil || len(p.items) != 100 {
				b.Fatal(err, len(p.items))
			}
		}
	})
	b.Run("jsonv2", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		for b.Loop() {
			var p RunsPage
			if err := decodeJSON(bytes.NewReader(data), &p); err != nil {
				b.Fatal(err)
			}
		}
	})
	// What the intern table buys: the same decoding without it.
	b.Run("jsonv2_without_table", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		for b.Loop() {
			var p RunsPage
			if err := jsonv2.UnmarshalRead(bytes.NewReader(data), &p, decodeOptions); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("encoding_json", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		for b.Loop() {
			var p RunsPage
			if err := json.NewDecoder(bytes.NewReader(data)).Decode(&p); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkDecodePageAllDistinct decodes a page where no user or repository
// comes again: what the intern table costs when it finds nothing.
func BenchmarkDecodePageAllDistinct(b *testing.B) {
	data := distinctPage(b, 100)
	b.Run("jsonv2", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		for b.Loop() {
			var p RunsPage
			if err := decodeJSON(bytes.NewReader(data), &p); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("jsonv2_without_table", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		for b.Loop() {
			var p RunsPage
			if err := jsonv2.UnmarshalRead(bytes.NewReader(data), &p, decodeOptions); err != nil {
				b.Fatal(err)
			}
		}
	})
}
