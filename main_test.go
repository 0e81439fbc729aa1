package main

import (
	"encoding/json"
	"os"
	"regexp"
	"testing"
)

func TestVersionLineKeepsTheCommitApart(t *testing.T) {
	if got := versionLine("0.1.0", "1982e59c1d83"); got != "Herald 0.1.0 (commit 1982e59c1d83)" {
		t.Errorf("versionLine = %q", got)
	}
	if got := versionLine("0.1.0", ""); got != "Herald 0.1.0" {
		t.Errorf("versionLine without a commit = %q", got)
	}
}

// The Makefile reads the version from wails.json's info.productVersion.
func TestWailsJSONHasAProductVersion(t *testing.T) {
	raw, err := os.ReadFile("wails.json")
	if err != nil {
		t.Fatal(err)
	}
	var cfg struct {
		Info struct {
			ProductVersion string `json:"productVersion"`
		} `json:"info"`
	}
	if err := json.Unmarshal(raw, &cfg); err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`^\d+\.\d+\.\d+$`).MatchString(cfg.Info.ProductVersion) {
		t.Errorf("wails.json productVersion = %q, want a version like 0.5.0", cfg.Info.ProductVersion)
	}
}
