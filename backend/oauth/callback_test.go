package oauth

import (
	"errors"
	"net/url"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func TestParseCallback(t *testing.T) {
	const state = "s7ate"
	cases := []struct {
		name     string
		query    string
		wantCode string
		wantErr  error
		denied   string // DeniedError.Code
	}{
		{"code", "code=abc&state=s7ate", "abc", nil, ""},
		{"code and iss", "code=abc&state=s7ate&iss=https%3A%2F%2Fas.example", "abc", nil, ""},
		{"no state", "code=abc", "", ErrStateMismatch, ""},
		{"empty state", "code=abc&state=", "", ErrStateMismatch, ""},
		{"prefix of state", "code=abc&state=s7at", "", ErrStateMismatch, ""},
		{"state twice", "code=abc&state=s7ate&state=s7ate", "", ErrStateMismatch, ""},
		{"state with another twice", "code=abc&state=evil&state=s7ate", "", ErrStateMismatch, ""},
		{"error checked after state", "error=access_denied&state=evil", "", ErrStateMismatch, ""},
		{"malformed state escape", "code=abc&state=s7ate%zz", "", ErrStateMismatch, ""},
		{"error wins over code", "code=abc&error=access_denied&state=s7ate", "", nil, "access_denied"},
		{"empty error", "error=&state=s7ate", "", nil, ""},
		{"no code", "state=s7ate", "", ErrMissingCode, ""},
		{"empty code", "code=&state=s7ate", "", ErrMissingCode, ""},
		{"code twice", "code=a&code=b&state=s7ate", "", ErrMissingCode, ""},
		{"malformed other pair", "code=abc&state=s7ate&x=%zz", "abc", nil, ""},
		{"semicolons", "code=abc;state=s7ate", "", ErrStateMismatch, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res, err := parseCallback(tc.query, state)
			var d *DeniedError
			switch {
			case tc.denied != "" || strings.HasPrefix(tc.query, "error=&"):
				if !errors.As(err, &d) || d.Code != tc.denied {
					t.Fatalf("err = %v, want DeniedError{Code: %q}", err, tc.denied)
				}
			case tc.wantErr != nil:
				if !errors.Is(err, tc.wantErr) {
					t.Fatalf("err = %v, want %v", err, tc.wantErr)
				}
			default:
				if err != nil || res.Code != tc.wantCode {
					t.Fatalf("parseCallback = %+v, %v; want code %q", res, err, tc.wantCode)
				}
			}
		})
	}
	if _, err := parseCallback("code=abc&state=", ""); !errors.Is(err, ErrStateMismatch) {
		t.Errorf("an empty wanted state matched an empty state: %v", err)
	}
}

func TestDeniedErrorText(t *testing.T) {
	cases := []struct {
		d    DeniedError
		want string
	}{
		{DeniedError{Code: "access_denied", Description: "The user denied"}, "You declined access"},
		{DeniedError{Code: "invalid_scope", Description: "bad scope"}, "The network refused the sign-in: bad scope"},
		{DeniedError{Code: "server_error"}, "The network refused the sign-in (server_error)."},
		{DeniedError{}, "The network refused the sign-in."},
	}
	for _, tc := range cases {
		if got := tc.d.Error(); !strings.HasPrefix(got, tc.want) {
			t.Errorf("%+v.Error() = %q, want prefix %q", tc.d, got, tc.want)
		}
	}
}

func TestNetworkTextIsCleaned(t *testing.T) {
	_, err := parseCallback("state=s&error=x&error_description="+url.QueryEscape("line1\r\nline2\x00\u202e"+strings.Repeat("é", 500)), "s")
	var d *DeniedError
	if !errors.As(err, &d) {
		t.Fatalf("err = %v", err)
	}
	if strings.ContainsAny(d.Description, "\r\n\x00\u202e") {
		t.Errorf("description keeps control characters: %q", d.Description)
	}
	if n := utf8.RuneCountInString(d.Description); n > maxNetworkText+1 {
		t.Errorf("description is %d runes, want at most %d", n, maxNetworkText+1)
	}
}

// FuzzParseCallback: no query may panic the parser, and no query whose
// state is not exactly the wanted one is ever accepted.
func FuzzParseCallback(f *testing.F) {
	for _, seed := range []struct{ query, state string }{
		{"code=abc&state=S", "S"},
		{"code=abc&state=T", "S"},
		{"state=S", "S"},
		{"code=abc&state=", ""},
		{"error=access_denied&error_description=no&state=S", "S"},
		{"code=a&code=b&state=S", "S"},
		{"state=S&state=S&code=x", "S"},
		{"code=x&state=S%zz", "S"},
		{"code=x;state=S", "S"},
		{"%00=%00&state=S&code=%FF", "S"},
		{"state=S+&code=x", "S "},
		{"code=x&state=%53", "S"},
	} {
		f.Add(seed.query, seed.state)
	}
	f.Fuzz(func(t *testing.T, query, want string) {
		res, err := parseCallback(query, want)
		q, _ := url.ParseQuery(query)
		stateOK := want != "" && slices.Equal(q["state"], []string{want})

		if err == nil {
			if !stateOK {
				t.Fatalf("accepted %q with state %v, want %q", query, q["state"], want)
			}
			if res.Code == "" || !slices.Equal(q["code"], []string{res.Code}) {
				t.Fatalf("accepted %q with code %q", query, res.Code)
			}
			if res.Params.Has("code") || res.Params.Has("state") {
				t.Fatalf("Params repeat code or state: %v", res.Params)
			}
			return
		}
		if !stateOK && !errors.Is(err, ErrStateMismatch) {
			t.Fatalf("%q with a wrong state gave %v, want ErrStateMismatch", query, err)
		}
		var d *DeniedError
		if errors.As(err, &d) {
			for _, s := range []string{d.Code, d.Description, d.Error()} {
				if !utf8.ValidString(s) || strings.ContainsFunc(s, unicode.IsControl) {
					t.Fatalf("denial text %q is not clean", s)
				}
			}
		}
		_ = err.Error()
	})
}
