package main

import (
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"
)

// completion writes a completion script for shell: the commands, every
// flag of the monitor and of print, and the values of the flags that take
// one of a few.
func completion(shell string, w io.Writer) error {
	flags := completionFlags()
	switch shell {
	case "bash":
		return bashCompletion(w, flags)
	case "zsh":
		return zshCompletion(w, flags)
	case "fish":
		return fishCompletion(w, flags)
	}
	return fmt.Errorf("completion for %q: want bash, zsh or fish, e.g. 'rotation completion bash > /etc/bash_completion.d/rotation'", shell)
}

// completionFlag is one flag as the shells see it.
type completionFlag struct {
	name, usage string
	values      []string // the choices; nil for free text
	file, dir   bool     // completes to paths
	boolean     bool
}

// completionCommands are the words before the flags.
var completionCommands = []string{"print", "check", "config", "init", "completion", "version", "help"}

// flagValues are the choices of the flags that take one of a few values.
var flagValues = map[string][]string{
	"feed": {"auto", "yahoo", "sim", "replay:"}, "range": {"1D", "5D", "1M", "3M", "6M", "YTD", "1Y"},
	"currency": {"local", "USD", "EUR", "JPY", "GBP", "CHF", "KRW", "TWD", "HKD"}, "map": {"daily", "weekly"},
	"weighting": {"file", "equal", "cap"}, "format": {"table", "json", "csv"},
}

func completionFlags() []completionFlag {
	seen := map[string]bool{}
	var out []completionFlag
	for _, cmd := range []string{"", "print"} {
		newFlagSet(cmd, &config{}).VisitAll(func(f *flag.Flag) {
			if seen[f.Name] {
				return
			}
			seen[f.Name] = true
			_, usage := flag.UnquoteUsage(f)
			b, isBool := f.Value.(interface{ IsBoolFlag() bool })
			out = append(out, completionFlag{name: f.Name, usage: usage, values: flagValues[f.Name],
				file: slices.Contains([]string{"record", "holdings", "alerts", "config"}, f.Name), dir: f.Name == "watchlists",
				boolean: isBool && b.IsBoolFlag()})
		})
	}
	return out
}

func bashCompletion(w io.Writer, flags []completionFlag) error {
	var names []string
	var cases strings.Builder
	for _, f := range flags {
		names = append(names, "--"+f.name)
		switch {
		case f.values != nil:
			fmt.Fprintf(&cases, "    --%s) COMPREPLY=($(compgen -W %q -- \"$cur\")); return;;\n", f.name, strings.Join(f.values, " "))
		case f.dir:
			fmt.Fprintf(&cases, "    --%s) COMPREPLY=($(compgen -d -- \"$cur\")); return;;\n", f.name)
		case f.file:
			fmt.Fprintf(&cases, "    --%s) COMPREPLY=($(compgen -f -- \"$cur\")); return;;\n", f.name)
		}
	}
	_, err := fmt.Fprintf(w, `# bash completion for rotation: source it, or put it in /etc/bash_completion.d/
_rotation() {
  local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}
  case "$prev" in
%s    completion) COMPREPLY=($(compgen -W "bash zsh fish" -- "$cur")); return;;
  esac
  if [[ $cur == -* ]]; then
    COMPREPLY=($(compgen -W %q -- "$cur"))
  else
    COMPREPLY=($(compgen -W %q -- "$cur"))
  fi
}
complete -F _rotation rotation
`, cases.String(), strings.Join(names, " "), strings.Join(completionCommands, " "))
	return err
}

func zshCompletion(w io.Writer, flags []completionFlag) error {
	var specs strings.Builder
	for _, f := range flags {
		action := ""
		switch {
		case f.values != nil:
			action = ":value:(" + strings.Join(f.values, " ") + ")"
		case f.dir:
			action = ":directory:_files -/"
		case f.file:
			action = ":file:_files"
		case !f.boolean:
			action = ":value:"
		}
		fmt.Fprintf(&specs, "    '--%s[%s]%s' \\\n", f.name, zshEscape(f.usage), action)
	}
	_, err := fmt.Fprintf(w, `#compdef rotation
# zsh completion for rotation: put it on $fpath as _rotation
_arguments -s \
%s    '1:command:(%s)' \
    '*::arg:->args'
`, specs.String(), strings.Join(completionCommands, " "))
	return err
}

func zshEscape(s string) string {
	return strings.NewReplacer("'", "'\\''", "[", "\\[", "]", "\\]", ":", "\\:").Replace(s)
}

func fishCompletion(w io.Writer, flags []completionFlag) error {
	var b strings.Builder
	b.WriteString("# fish completion for rotation: put it in ~/.config/fish/completions/rotation.fish\n")
	fmt.Fprintf(&b, "complete -c rotation -f -n '__fish_use_subcommand' -a %s\n", fishQuote(strings.Join(completionCommands, " ")))
	b.WriteString("complete -c rotation -f -n '__fish_seen_subcommand_from completion' -a 'bash zsh fish'\n")
	for _, f := range flags {
		fmt.Fprintf(&b, "complete -c rotation -l %s -d %s", f.name, fishQuote(f.usage))
		switch {
		case f.values != nil:
			fmt.Fprintf(&b, " -x -a %s", fishQuote(strings.Join(f.values, " ")))
		case f.dir:
			b.WriteString(" -x -a '(__fish_complete_directories)'")
		case f.file:
			b.WriteString(" -r -F")
		case !f.boolean:
			b.WriteString(" -x")
		}
		b.WriteByte('\n')
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// fishQuote single-quotes s for fish, where double quotes would expand the
// $XDG_CONFIG_HOME of a flag's help.
func fishQuote(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, "'", `\'`).Replace(s) + "'"
}
