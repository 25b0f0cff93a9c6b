package main

import (
	"bufio"
	"fmt"
	"os"
	"strings"

	"golang.org/x/term"

	"github.com/boothledger/boothledger/capture"
)

// readPIN reads a new PIN from standard input. On a terminal it asks on stderr, twice, and
// shows nothing of what is typed (someone may be watching at the booth); from a pipe or a
// file it takes the first line.
func (m *Main) readPIN() (string, error) {
	f, ok := m.Stdin.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		line, _ := bufio.NewReader(m.Stdin).ReadString('\n')
		return strings.TrimSpace(line), nil
	}
	ask := func(prompt string) (string, error) {
		fmt.Fprint(m.Stderr, prompt)
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(m.Stderr)
		if err != nil {
			return "", fmt.Errorf("read pin: %w", err)
		}
		return strings.TrimSpace(string(b)), nil
	}
	first, err := ask(m.inLang("PIN（6〜12桁）: ", "PIN (6 to 12 digits): "))
	if err != nil {
		return "", err
	}
	again, err := ask(m.inLang("もう一度: ", "Again: "))
	if err != nil {
		return "", err
	}
	if first != again {
		return "", capture.Invalid("pin", "pin_mismatch")
	}
	return first, nil
}

// inLang is the text in the language of messages.
func (m *Main) inLang(ja, en string) string {
	if m.Lang == "en" {
		return en
	}
	return ja
}
