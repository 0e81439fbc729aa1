package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"herald/backend/apperr"
	"herald/backend/instance"
	"herald/backend/schedule"
	"herald/backend/service"
)

// runCommand runs one command-line command against the data folder. It
// never publishes and never takes the single-instance lock: a running
// Herald (window or headless) does the publishing.
func runCommand(name string, args []string, stdout, stderr io.Writer) int {
	switch name {
	case "help":
		fmt.Fprint(stdout, usage)
		return exitOK
	case "channels", "queue", "schedule":
	default:
		fmt.Fprintf(stderr, "herald: unknown command %q\n\n%s", name, usage)
		return exitUsage
	}
	app, code := bootOrExplain(modeCLI, stderr)
	if app == nil {
		return code
	}
	defer app.close()
	if app.db == nil {
		fmt.Fprintln(stderr, "herald:", app.problem)
		return exitFailure
	}
	var err error
	switch name {
	case "channels":
		err = cmdChannels(app, stdout)
	case "queue":
		err = cmdQueue(app, stdout)
	case "schedule":
		err = cmdSchedule(app, args, stdout, stderr)
	}
	if err != nil {
		var ae *apperr.Error
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		p, _ := apperr.Format(err).(apperr.Payload)
		fmt.Fprintln(stderr, "herald:", p.Message)
		if p.Hint != "" {
			fmt.Fprintln(stderr, "  "+p.Hint)
		}
		if errors.As(err, &ae) && ae.Code == apperr.CodeInvalid {
			return exitUsage
		}
		return exitFailure
	}
	return exitOK
}

func cmdChannels(app *App, stdout io.Writer) error {
	chs, err := app.channels.List()
	if err != nil {
		return err
	}
	if len(chs) == 0 {
		fmt.Fprintln(stdout, "No channels yet. Open Herald and choose Channels → Add channels.")
		return nil
	}
	w := tabwriter.NewWriter(stdout, 0, 2, 2, ' ', 0)
	fmt.Fprintln(w, "ID\tNETWORK\tHANDLE\tNAME\tSTATUS\tTEAMS")
	for _, c := range chs {
		var teams []string
		for _, t := range c.Teams {
			teams = append(teams, t.Name)
		}
		status := c.Status
		if c.StatusReason != "" {
			status += " (" + c.StatusReason + ")"
		}
		fmt.Fprintf(w, "%d\t%s\t%s\t%s\t%s\t%s\n", c.ID, c.NetworkName, c.Handle, c.DisplayName, status, strings.Join(teams, ", "))
	}
	return w.Flush()
}

func cmdQueue(app *App, stdout io.Writer) error {
	st, err := app.publishing.Status()
	if err != nil {
		return err
	}
	if st.Paused {
		fmt.Fprintln(stdout, "Publishing is PAUSED: nothing goes out until you resume it.")
	}
	posts, err := app.posts.List(service.PostQuery{Statuses: []string{"scheduled", "publishing", "partial", "failed"}})
	if err != nil {
		return err
	}
	chs, err := app.channels.List()
	if err != nil {
		return err
	}
	names := map[int64]string{}
	for _, c := range chs {
		names[c.ID] = c.Handle
	}
	w := tabwriter.NewWriter(stdout, 0, 2, 2, ' ', 0)
	fmt.Fprintln(w, "POST\tDUE (LOCAL)\tCHANNEL\tSTATUS\tTEXT")
	n := 0
	for _, p := range posts {
		text := p.Title
		if text == "" {
			text = p.Snippet
		}
		if r := []rune(text); len(r) > 50 {
			text = string(r[:50]) + "…"
		}
		for _, t := range p.Targets {
			due := "-"
			if at, err := time.Parse(time.RFC3339, t.DueAt); err == nil {
				due = at.Local().Format("Mon 2 Jan 15:04")
			}
			status := t.Status
			if t.HandedOff {
				status = "handed off"
			}
			if t.Message != "" && t.Status != "published" {
				status += ": " + t.Message
			}
			fmt.Fprintf(w, "%d\t%s\t%s\t%s\t%s\n", p.ID, due, names[t.ChannelID], status, strings.ReplaceAll(text, "\n", " "))
			n++
		}
	}
	if err := w.Flush(); err != nil {
		return err
	}
	if n == 0 {
		fmt.Fprintln(stdout, "Nothing is scheduled.")
	}
	return nil
}

// postFile is the JSON a post is scheduled from.
type postFile struct {
	Title        string            `json:"title"`
	Channels     []json.RawMessage `json:"channels"` // ids or handles
	Text         string            `json:"text"`
	Thread       []string          `json:"thread"`
	FirstComment string            `json:"firstComment"`
	Media        []struct {
		Path string `json:"path"` // relative to the JSON file
		Alt  string `json:"alt"`
	} `json:"media"`
	Options      map[string]string `json:"options"`
	At           string            `json:"at"`
	Zone         string            `json:"zone"`
	MissedPolicy string            `json:"missedPolicy"`
	GraceMinutes int               `json:"graceMinutes"`
	Handoff      bool              `json:"handoff"`
}

func cmdSchedule(app *App, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("herald schedule", flag.ContinueOnError)
	fs.SetOutput(stderr)
	file := fs.String("file", "", "the post as JSON (see docs/cli.md)")
	at := fs.String("at", "", "local date and time, like 2026-12-01T09:00")
	zone := fs.String("zone", "", "IANA time zone, like Europe/Berlin (default: the file's, else this computer's)")
	queue := fs.Bool("queue", false, "put it in each channel's next free queue slot")
	now := fs.Bool("now", false, "publish it now")
	draft := fs.Bool("draft", false, "save it as a draft only")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *file == "" {
		return apperr.Invalid("file", "Give the post file: herald schedule --file post.json")
	}
	raw, err := os.ReadFile(*file)
	if err != nil {
		return apperr.Invalid("file", "Cannot read %s: %v", *file, err)
	}
	var pf postFile
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&pf); err != nil {
		return apperr.Invalid("file", "%s is not a valid post file: %v", *file, err)
	}
	if *at != "" {
		pf.At = *at
	}
	if *zone != "" {
		pf.Zone = *zone
	}
	if pf.Zone == "" {
		pf.Zone = localZone()
	}
	if pf.At != "" && !*draft && !*now && !*queue {
		// Check the time before anything is saved.
		if _, err := schedule.Resolve(pf.At, pf.Zone); err != nil {
			return apperr.Invalid("at", "%v", err)
		}
	}
	ids, err := resolveChannels(app, pf.Channels)
	if err != nil {
		return err
	}
	var media []service.MediaView
	for _, m := range pf.Media {
		p := m.Path
		if !filepath.IsAbs(p) {
			p = filepath.Join(filepath.Dir(*file), p)
		}
		imported, err := app.posts.ImportMediaFiles([]string{p})
		if err != nil {
			return err
		}
		imported[0].AltText = m.Alt
		media = append(media, imported[0])
	}
	in := service.DraftInput{Title: pf.Title, TimeZone: pf.Zone, MissedPolicy: pf.MissedPolicy, GraceMinutes: pf.GraceMinutes, Handoff: pf.Handoff}
	for _, id := range ids {
		in.Variants = append(in.Variants, service.VariantInput{ChannelID: id, Text: pf.Text, Thread: pf.Thread, FirstComment: pf.FirstComment,
			Media: media, Options: pf.Options})
	}
	v, err := app.posts.Validate(in)
	if err != nil {
		return err
	}
	for _, vc := range v.Variants {
		for _, is := range vc.Result.Issues {
			fmt.Fprintf(stderr, "%s (%s): %s\n", is.Severity, vc.NetworkName, is.Message)
		}
	}
	post, err := app.posts.SaveDraft(in)
	if err != nil {
		return err
	}
	var what string
	switch {
	case *draft:
		what = "Saved as a draft"
	case *now:
		if _, err = app.posts.PublishNow(post.ID); err == nil {
			what = "Publishing now"
		}
	case *queue:
		if post, err = app.posts.AddToQueue(post.ID); err == nil {
			what = "Queued for each channel's next free slot"
		}
	case pf.At != "":
		var res service.ScheduleResult
		if res, err = app.posts.Schedule(post.ID, pf.At, pf.Zone); err == nil {
			what = fmt.Sprintf("Scheduled for %s (%s)", res.Post.LocalTime, res.Post.TimeZone)
			if res.Note != "" {
				what += "\n  " + res.Note
			}
		}
	default:
		what = "Saved as a draft (give --at, --queue or --now to schedule it)"
	}
	if err != nil {
		return fmt.Errorf("the post was saved as draft %d, but: %w", post.ID, err)
	}
	fmt.Fprintf(stdout, "%s: post %d on %d channel(s).\n", what, post.ID, len(ids))
	if !*draft {
		if err := instance.Send(context.Background(), app.cfg.DataDir, instance.MsgWake); err != nil {
			fmt.Fprintln(stdout, "Herald is not running: the post goes out when you start it (herald, or herald --headless).")
		}
	}
	return nil
}

func resolveChannels(app *App, refs []json.RawMessage) ([]int64, error) {
	if len(refs) == 0 {
		return nil, apperr.Invalid("channels", `List the channels in the file: "channels": ["shop@mastodon.social", 3]`)
	}
	chs, err := app.channels.List()
	if err != nil {
		return nil, err
	}
	var ids []int64
	for _, r := range refs {
		var id int64
		var handle string
		if err := json.Unmarshal(r, &id); err != nil {
			if err := json.Unmarshal(r, &handle); err != nil {
				return nil, apperr.Invalid("channels", "%s is neither a channel id nor a handle.", string(r))
			}
			if n, err := strconv.ParseInt(handle, 10, 64); err == nil {
				id = n
			}
		}
		found := false
		for _, c := range chs {
			if (id != 0 && c.ID == id) || (handle != "" && strings.EqualFold(strings.TrimPrefix(handle, "@"), c.Handle)) {
				ids = append(ids, c.ID)
				found = true
				break
			}
		}
		if !found {
			return nil, apperr.Invalid("channels", "No channel %s. See herald channels.", string(r))
		}
	}
	return ids, nil
}

// localZone is this computer's IANA zone name, if it can be found.
func localZone() string {
	if tz := os.Getenv("TZ"); tz != "" {
		return strings.TrimPrefix(tz, ":")
	}
	if target, err := os.Readlink("/etc/localtime"); err == nil {
		if i := strings.Index(target, "zoneinfo/"); i >= 0 {
			return target[i+len("zoneinfo/"):]
		}
	}
	if z := time.Local.String(); z != "Local" {
		return z
	}
	return "UTC"
}
