package ghactions

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
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

// pageDecoder decodes a page of runs one way.
type pageDecoder struct {
	name   string
	decode func(r io.Reader) error
}

var (
	// What ListPage and List decode pages with: runs one at a time, with
	// the per_page cap checked as they come.
	pageDecoderUsed = pageDecoder{"page_decoder", func(r io.Reader) error {
		p, err := decodePage[WorkflowRun](r, runsKey, 100)
		if err == nil && len(p.items) != 100 {
			err = fmt.Errorf("decoded %d runs, want 100", len(p.items))
		}
		return err
	}}
	jsonv2WithTable = pageDecoder{"jsonv2", func(r io.Reader) error {
		var p RunsPage
		return decodeJSON(r, &p)
	}}
	// What the intern table buys: the same decoding without it.
	jsonv2WithoutTable = pageDecoder{"jsonv2_without_table", func(r io.Reader) error {
		var p RunsPage
		return jsonv2.UnmarshalRead(r, &p, decodeOptions)
	}}
	encodingJSON = pageDecoder{"encoding_json", func(r io.Reader) error {
		var p RunsPage
		return json.NewDecoder(r).Decode(&p)
	}}
)

// benchDecoders runs a sub-benchmark per decoder on data.
func benchDecoders(b *testing.B, data []byte, decoders ...pageDecoder) {
	for _, d := range decoders {
		b.Run(d.name, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				if err := d.decode(bytes.NewReader(data)); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkDecodePage(b *testing.B) {
	benchDecoders(b, benchPage(b, 100), pageDecoderUsed, jsonv2WithTable, jsonv2WithoutTable, encodingJSON)
}

// BenchmarkDecodePageAllDistinct decodes a page where no user or repository
// comes again: what the intern table costs when it finds nothing.
func BenchmarkDecodePageAllDistinct(b *testing.B) {
	benchDecoders(b, distinctPage(b, 100), jsonv2WithTable, jsonv2WithoutTable)
}
