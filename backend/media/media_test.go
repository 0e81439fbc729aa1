package media

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func pngBytes(t *testing.T, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	img.Set(0, 0, color.RGBA{R: 255, A: 255})
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestImportCopiesByContentAndSurvivesTheOriginalMoving(t *testing.T) {
	lib := NewLibrary(filepath.Join(t.TempDir(), "media"))
	src := filepath.Join(t.TempDir(), "Holiday Photo.PNG")
	if err := os.WriteFile(src, pngBytes(t, 32, 16), 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := lib.ImportFile(src)
	if err != nil {
		t.Fatal(err)
	}
	if f.MIME != "image/png" || f.Width != 32 || f.Height != 16 || f.OriginalName != "Holiday Photo.PNG" || !strings.HasSuffix(f.Path, ".png") {
		t.Errorf("imported = %+v", f)
	}
	if err := os.Remove(src); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(lib.Abs(f.Path)); err != nil {
		t.Errorf("the copy is gone with the original: %v", err)
	}
	again, err := lib.Import("copy.png", bytes.NewReader(pngBytes(t, 32, 16)))
	if err != nil || again.Path != f.Path {
		t.Errorf("the same content was stored twice: %+v, %v", again, err)
	}
	entries, _ := os.ReadDir(lib.Dir())
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".import-") {
			t.Error("a temporary file was left behind")
		}
	}
}

func TestImportRejectsWhatCannotBeAttached(t *testing.T) {
	lib := NewLibrary(t.TempDir())
	if _, err := lib.Import("empty.png", bytes.NewReader(nil)); err == nil {
		t.Error("an empty file was accepted")
	}
	if _, err := lib.ImportFile(t.TempDir()); err == nil {
		t.Error("a folder was accepted")
	}
	if _, err := lib.ReadAll("../../etc/passwd"); err == nil {
		t.Error("a path outside the media folder was read")
	}
}
