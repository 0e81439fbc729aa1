package oauth

import (
	"context"
	"slices"
	"testing"
)

func envWith(browser string) func(string) string {
	return func(k string) string {
		if k == "BROWSER" {
			return browser
		}
		return ""
	}
}

func TestSystemOpenerRefusesNonWebURLs(t *testing.T) {
	for _, u := range []string{"file:///etc/passwd", "-flag", "javascript:alert(1)", "ftp://x.example/", "https://", "C:\\Windows\\calc.exe"} {
		err := SystemOpener{Getenv: envWith("/bin/true")}.Open(context.Background(), u)
		if err == nil {
			t.Errorf("Open(%q) succeeded, want a refusal", u)
		}
	}
}

func TestSystemCommand(t *testing.T) {
	cases := []struct {
		goos string
		want []string
	}{
		{"linux", []string{"xdg-open"}},
		{"freebsd", []string{"xdg-open"}},
		{"darwin", []string{"open"}},
		{"windows", []string{"rundll32", "url.dll,FileProtocolHandler"}},
		{"plan9", nil},
	}
	for _, tc := range cases {
		name, args, ok := systemCommand(tc.goos)
		got := append([]string{name}, args...)
		if !ok {
			got = nil
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("systemCommand(%q) = %q, want %q", tc.goos, got, tc.want)
		}
	}
}

func TestBrowserEnvCommands(t *testing.T) {
	const u = "https://a.example/?x=1"
	cases := []struct {
		env, sep string
		want     [][]string
	}{
		{"", ":", nil},
		{"firefox", ":", [][]string{{"firefox", u}}},
		{"firefox --new-tab", ":", [][]string{{"firefox", "--new-tab", u}}},
		{"w3m %s:lynx", ":", [][]string{{"w3m", u}, {"lynx", u}}},
		{"open -a Safari --args url=%s", ":", [][]string{{"open", "-a", "Safari", "--args", "url=" + u}}},
		{` : :chromium`, ":", [][]string{{"chromium", u}}},
		{`"C:\Program Files\Firefox\firefox.exe" -url %s;edge`, ";", [][]string{{`C:\Program Files\Firefox\firefox.exe`, "-url", u}, {"edge", u}}},
	}
	for _, tc := range cases {
		got := browserEnvCommands(tc.env, tc.sep, u)
		if !slices.EqualFunc(got, tc.want, slices.Equal[[]string]) {
			t.Errorf("browserEnvCommands(%q) = %q, want %q", tc.env, got, tc.want)
		}
	}
}
