package watchlists

import (
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/rotation-dev/rotation/fsbound"
)

// MaxSymbols caps the distinct symbols of one directory: every symbol is a
// quote request, and more than this is a pasted index, not a watchlist.
const MaxSymbols = 1000

// EnvDir is the environment variable that points at a watchlist directory.
const EnvDir = "ROTATION_WATCHLISTS"

//go:embed defaults/*.yaml
var defaultFiles embed.FS

// isWatchlistName reports whether a directory entry name is a watchlist
// file rather than editor debris: dot-files (vim .swp, emacs .#lock),
// backups ending in ~ and emacs #autosave# files never count.
func isWatchlistName(name string) bool {
	if strings.HasPrefix(name, ".") || strings.HasSuffix(name, "~") ||
		(strings.HasPrefix(name, "#") && strings.HasSuffix(name, "#")) {
		return false
	}
	ext := strings.ToLower(filepath.Ext(name))
	return ext == ".yaml" || ext == ".yml"
}

// LoadDir loads every watchlist file of dir. Broken files are left out of
// the set and reported; they never hide the good ones. Each file is read
// through fsbound (ReadFile), so a FIFO or a device named like a watchlist
// is an error for that file, never a hang.
func LoadDir(dir string) (Set, []*FileError) {
	return load(os.DirFS(dir), dir, func(_, path string) ([]byte, *FileError) {
		data, fe := ReadFile(path, watchlistRead)
		var nr *fsbound.NotRegularError
		if fe != nil && errors.As(fe, &nr) && nr.Mode.IsDir() {
			return nil, nil // a directory named like a watchlist
		}
		return data, fe
	})
}

// LoadFS loads every watchlist file at the root of fsys, such as the
// embedded defaults. source becomes Set.Source and prefixes the paths in
// errors. Only regular files are opened, but an fs.FS opens as it opens:
// a directory on disk is LoadDir's.
func LoadFS(fsys fs.FS, source string) (Set, []*FileError) {
	return load(fsys, source, func(name, path string) ([]byte, *FileError) { return readFS(fsys, name, path) })
}

// load loads the watchlist files listed at the root of fsys, each read by
// read (nil data and error: not a file to load).
func load(fsys fs.FS, source string, read func(name, path string) ([]byte, *FileError)) (Set, []*FileError) {
	set := Set{Source: source}
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return set, []*FileError{{Path: source, Msg: fmt.Sprintf(
			"cannot list watchlists: %v; check the path, or run '%s' to create it with the built-in ones",
			unwrapPath(err), initCommand(source))}}
	}
	var errs []*FileError
	// files counts watchlist files, broken ones included: only a directory
	// without any is empty.
	files := 0
	for _, e := range entries { // fs.ReadDir sorts by name, so segments come out in file order
		if !isWatchlistName(e.Name()) {
			continue
		}
		path := filepath.Join(source, e.Name())
		data, fe := read(e.Name(), path)
		if fe != nil {
			errs = append(errs, fe)
			files++
			continue
		}
		if data == nil { // a directory named like a watchlist
			continue
		}
		files++
		seg, fileErrs := ParseAll(path, data)
		if len(fileErrs) > 0 {
			errs = append(errs, fileErrs...)
			continue
		}
		set.Segments = append(set.Segments, seg)
	}
	if files == 0 {
		// Otherwise an empty directory (a typo in the path, a fresh mkdir)
		// would show a blank screen with nothing to say why.
		return set, []*FileError{{Path: source, Msg: fmt.Sprintf(
			"holds no watchlist files (*.yaml or *.yml); run '%s' to write the built-in ones there",
			initCommand(source))}}
	}
	if n := len(set.Symbols()); n > MaxSymbols {
		errs = append(errs, &FileError{Path: source, Msg: fmt.Sprintf(
			"%d distinct symbols across %d files; the limit is %d: trim or split the watchlists",
			n, len(set.Segments), MaxSymbols)})
		set.Segments = nil
	}
	return set, errs
}

// watchlistRead words ReadFile's errors for a watchlist.
var watchlistRead = ReadOptions{
	Failed: func(op string, err error) string {
		if op == "stat" {
			op = "open" // to the user, the Stat is part of opening
		}
		return fmt.Sprintf("cannot %s: %v", op, err)
	},
	TooBig: fmt.Sprintf("file is larger than %d bytes; a watchlist is a short list of symbols, so check it is the right file", MaxFileSize),
}

// readFS returns the bytes of a file of fsys, nil for a directory, or a
// whole-file error when it is no regular file or exceeds MaxFileSize.
func readFS(fsys fs.FS, name, path string) ([]byte, *FileError) {
	info, err := fs.Stat(fsys, name)
	if err != nil {
		return nil, watchlistRead.failed(path, "stat", err)
	}
	if info.IsDir() {
		return nil, nil
	}
	if !info.Mode().IsRegular() { // not opened: opening a FIFO would wait for a writer
		return nil, readError(path, watchlistRead.notRegular(info.Mode()), nil)
	}
	f, err := fsys.Open(name)
	if err != nil {
		return nil, watchlistRead.failed(path, "open", err)
	}
	defer f.Close()
	data, err := io.ReadAll(fsbound.Limit(f, path, MaxFileSize))
	if err != nil {
		return nil, watchlistRead.refused(path, err)
	}
	return data, nil
}

// initCommand is the `rotation init` command line for dir, for messages
// to suggest. A path with spaces or shell characters is double-quoted, with
// the four characters special inside double quotes escaped.
func initCommand(dir string) string {
	if strings.ContainsAny(dir, " \t\n'\"\\$`*?[]{}()<>|&;#~!") {
		dir = `"` + shellEscaper.Replace(dir) + `"`
	}
	return "rotation init " + dir
}

var shellEscaper = strings.NewReplacer(`\`, `\\`, `"`, `\"`, "$", `\$`, "`", "\\`")

// Defaults returns the watchlists compiled into the binary.
func Defaults() Set {
	set, errs := LoadFS(defaultsFS(), EmbeddedSource)
	if len(errs) > 0 {
		// TestDefaultsAreValid keeps this from ever shipping.
		panic("watchlists: embedded defaults are broken: " + errs[0].Report())
	}
	return set
}

func defaultsFS() fs.FS {
	sub, err := fs.Sub(defaultFiles, "defaults")
	if err != nil {
		panic(err) // "defaults" is a constant, valid path
	}
	return sub
}

// DefaultDir is where the user's watchlists live when no flag or
// environment variable says otherwise: $XDG_CONFIG_HOME/rotation/watchlists
// (or the platform's equivalent of ~/.config).
func DefaultDir() (string, error) {
	base, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("cannot find the user config directory (%w); pass --watchlists or set %s", err, EnvDir)
	}
	return filepath.Join(base, "rotation", "watchlists"), nil
}

// Resolve picks the watchlist directory; the first that applies wins:
// flagDir, $ROTATION_WATCHLISTS, DefaultDir if it exists. When none does,
// embedded is true and dir is empty: use Defaults.
func Resolve(flagDir string, getenv func(string) string) (dir string, embedded bool) {
	if flagDir != "" {
		return flagDir, false
	}
	if env := getenv(EnvDir); env != "" {
		return env, false
	}
	if def, err := DefaultDir(); err == nil {
		if info, err := os.Stat(def); err == nil && info.IsDir() {
			return def, false
		}
	}
	return "", true
}

// Init writes the embedded defaults into dir, creating it if needed. It
// never overwrites: files already there are returned in skipped, so a user's
// edits survive running init again.
func Init(dir string) (written, skipped []string, err error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, nil, fmt.Errorf("cannot create watchlist directory: %w", err)
	}
	fsys := defaultsFS()
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, nil, err
	}
	for _, e := range entries {
		data, err := fs.ReadFile(fsys, e.Name())
		if err != nil {
			return written, skipped, err
		}
		path := filepath.Join(dir, e.Name())
		created, err := WriteNew(path, data)
		if err != nil {
			return written, skipped, fmt.Errorf("cannot write %s: %w", path, err)
		}
		if created {
			written = append(written, path)
		} else {
			skipped = append(skipped, path)
		}
	}
	return written, skipped, nil
}

// WriteNew creates path with data; it reports false, without touching the
// file, when path already exists (O_EXCL makes that check race-free).
func WriteNew(path string, data []byte) (bool, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, fs.ErrExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return false, err
	}
	return true, f.Close()
}

// ConfigFile is the path of the user's file name beside the watchlists:
// $XDG_CONFIG_HOME/rotation/name, else $HOME/.config/rotation/name; ""
// when neither is set. A relative XDG_CONFIG_HOME is ignored, as the XDG
// spec says. The holdings, alerts and settings files all live there.
func ConfigFile(getenv func(string) string, name string) string {
	if x := getenv("XDG_CONFIG_HOME"); x != "" && filepath.IsAbs(x) {
		return filepath.Join(x, "rotation", name)
	}
	if home := getenv("HOME"); home != "" {
		return filepath.Join(home, ".config", "rotation", name)
	}
	return ""
}
