// sprig-oracle runs templates with Go's text/template and the real Sprig function map, to
// record golden outputs for the TypeScript port (see generate.ts). It reads a JSON array of
// {"template", "data"} from stdin and writes a JSON array of {"output"} or {"error"}.
//
// Build offline from Debian's packages (golang-go, golang-github-masterminds-sprig-dev):
//   GO111MODULE=off GOPATH=/usr/share/gocode go build -o /tmp/sprig-oracle sprig-oracle.go
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"text/template"

	"github.com/Masterminds/sprig" // Debian installs Sprig v3 at its GOPATH import path
)

type testCase struct {
	Template string      `json:"template"`
	Data     interface{} `json:"data"`
}

type result struct {
	Output *string `json:"output,omitempty"`
	Error  *string `json:"error,omitempty"`
}

func run(c testCase) (res result) {
	defer func() {
		if r := recover(); r != nil {
			msg := fmt.Sprintf("panic: %v", r)
			res = result{Error: &msg}
		}
	}()
	t, err := template.New("tpl").Funcs(sprig.TxtFuncMap()).Parse(c.Template)
	if err != nil {
		msg := err.Error()
		return result{Error: &msg}
	}
	var buf bytes.Buffer
	if err := t.Execute(&buf, c.Data); err != nil {
		msg := err.Error()
		return result{Error: &msg}
	}
	out := buf.String()
	return result{Output: &out}
}

func main() {
	var cases []testCase
	if err := json.NewDecoder(os.Stdin).Decode(&cases); err != nil {
		fmt.Fprintln(os.Stderr, "bad input:", err)
		os.Exit(2)
	}
	results := make([]result, len(cases))
	for i, c := range cases {
		results[i] = run(c)
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", " ")
	if err := enc.Encode(results); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
