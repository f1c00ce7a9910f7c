package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"provim/internal/certificate"
	"provim/internal/clock"
	"provim/internal/wire"
)

const certificateUsage = `provim certificate — Dëftesat e Pjekurisë

  verify FILE [--key PUB.pem] [--revoked LIST.json] [--url https://…]
             checks a certificate PDF (or a file holding its QR code's text)
             offline with AVA's public key: "i vlefshëm" (exit 0), "i
             revokuar" (exit 3, with the public revocation list given as a
             file or fetched from --url), "i falsifikuar" (exit 1)
  keygen --seal-key FILE
             writes a new seal key (Ed25519 for the QR record, ECDSA P-256
             for the PDF signature) and the public key file FILE.pub.pem
  issue  [--db …] --seal-key FILE [--year N]
             issues the year's certificates (as the operator, AVA)
`

func cmdCertificate(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, certificateUsage)
		return exitError{2, "provim certificate verify|keygen|issue"}
	}
	switch args[0] {
	case "verify":
		return certificateVerify(ctx, args[1:], stdout, stderr)
	case "keygen":
		fs := flag.NewFlagSet("certificate keygen", flag.ContinueOnError)
		fs.SetOutput(stderr)
		path := fs.String("seal-key", os.Getenv("PROVIM_SEAL_KEY"), "the seal key file to write")
		if err := fs.Parse(args[1:]); err != nil {
			return err
		}
		if *path == "" {
			return exitError{2, "usage: provim certificate keygen --seal-key FILE"}
		}
		if _, err := os.Stat(*path); err == nil {
			return exitError{1, "the file " + *path + " exists: a seal key is never overwritten"}
		}
		seal, err := certificate.NewSealFile(*path)
		if err != nil {
			return err
		}
		if err := os.WriteFile(*path+".pub.pem", seal.PublicPEM(), 0o644); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "Çelësi i vulës: %s; çelësi publik: %s.pub.pem\n", *path, *path)
		return nil
	case "issue":
		fs := flag.NewFlagSet("certificate issue", flag.ContinueOnError)
		fs.SetOutput(stderr)
		path := fs.String("seal-key", os.Getenv("PROVIM_SEAL_KEY"), "AVA's seal key (file)")
		year := fs.Int("year", 0, "the exam year (the active one when 0)")
		svcs, err := openServices(ctx, fs, args[1:])
		if err != nil {
			return err
		}
		defer svcs.DB.Close()
		if err := useSealKey(svcs, *path); err != nil {
			return err
		}
		if *path == "" {
			return exitError{2, "provim certificate issue needs the seal key: --seal-key FILE or PROVIM_SEAL_KEY"}
		}
		timer := clock.StartTimer()
		rep, err := svcs.Certificates.IssueAll(ctx, operator(), *year, func(s string) { fmt.Fprintln(stdout, "  "+s) })
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "Viti %d: %d dëftesa të lëshuara, %d kishin një më parë, %d pa Maturë të përfunduar (%s).\n",
			rep.Year, rep.Issued, rep.Already, rep.NotComplete, timer.Elapsed().Round(time.Millisecond))
		return nil
	}
	fmt.Fprint(stderr, certificateUsage)
	return exitError{2, fmt.Sprintf("unknown certificate command %q", args[0])}
}

// useSealKey loads AVA's seal from path ("" for none) into the services:
// serve and the demo call it after wire.New.
func useSealKey(svcs *wire.Services, path string) error {
	if path == "" {
		return nil
	}
	seal, err := certificate.LoadSeal(path)
	if err != nil {
		return err
	}
	svcs.Certificates.SetSeal(seal)
	return nil
}

// demoSealKey makes the demo's seal: a new key beside a SQLite demo
// database (DB.seal-key) or in the working directory for PostgreSQL,
// replaced at every demo like the database (as demoAuditKey).
func demoSealKey(dsn string, stdout io.Writer) (string, error) {
	path := "provim-demo.seal-key"
	if p, ok := strings.CutPrefix(dsn, "sqlite:"); ok {
		path = p + ".seal-key"
	}
	if err := os.Remove(path); err != nil && !os.IsNotExist(err) {
		return "", err
	}
	seal, err := certificate.NewSealFile(path)
	if err != nil {
		return "", err
	}
	if err := os.WriteFile(path+".pub.pem", seal.PublicPEM(), 0o644); err != nil {
		return "", err
	}
	fmt.Fprintf(stdout, "Çelësi i vulës së dëftesave të demonstrimit: %s (publiku: %s.pub.pem).\n", path, path)
	return path, nil
}

// certificateVerify is provim certificate verify.
func certificateVerify(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("certificate verify", flag.ContinueOnError)
	fs.SetOutput(stderr)
	keyPath := fs.String("key", "", "AVA's public key file (PEM, /certifikata/celesi)")
	revokedPath := fs.String("revoked", "", "the public revocation list (JSON, /api/v1/public/certificates/revoked)")
	base := fs.String("url", "", "provim's address, to fetch the key and the revocation list not given as files")
	// The file may come before the flags: provim certificate verify FILE --key K.
	var file string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		file, args = args[0], args[1:]
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if file == "" && fs.NArg() == 1 {
		file = fs.Arg(0)
	}
	if file == "" || (*keyPath == "" && *base == "") {
		return exitError{2, "usage: provim certificate verify FILE --key PUB.pem [--revoked LIST.json] [--url https://…]"}
	}
	data, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	keyPEM, err := readOrFetch(ctx, *keyPath, *base, "/certifikata/celesi")
	if err != nil {
		return err
	}
	pub, err := certificate.ParsePublic(keyPEM)
	if err != nil {
		return err
	}
	var revoked []certificate.Revocation
	if *revokedPath != "" || *base != "" {
		if revoked, err = revocations(ctx, *revokedPath, *base); err != nil {
			return err
		}
	}
	v := certificate.CheckFile(data, pub, revoked)
	switch v.Status {
	case certificate.StatusForged:
		fmt.Fprintf(stdout, "%s: i falsifikuar — %s\n", file, v.Reason)
		return exitError{1, "the certificate is forged or altered"}
	case certificate.StatusRevoked:
		r := v.Revocation
		msg := fmt.Sprintf("%s: %s — i revokuar më %s (%s)", file, v.Record.Number, clock.Day(r.RevokedAt), r.Reason)
		if r.ReplacedBy != "" {
			msg += "; zëvendësohet nga " + r.ReplacedBy
		}
		fmt.Fprintln(stdout, msg)
		return exitError{3, "the certificate is revoked"}
	}
	rec := v.Record
	fmt.Fprintf(stdout, "%s: %s — i vlefshëm\n", file, rec.Number)
	fmt.Fprintf(stdout, "  %s, nr. personal %s, Matura Shtetërore %d\n", rec.Name, rec.PersonalNo, rec.Year)
	for _, e := range rec.Exams {
		fmt.Fprintf(stdout, "  %-6s nota %2d (%d)\n", e.Subject, e.Grade, e.Year)
	}
	if !v.Signed {
		fmt.Fprintln(stdout, "  (vetëm teksti i kodit QR: vula PAdES e PDF-së nuk u kontrollua)")
	}
	if *revokedPath == "" && *base == "" {
		fmt.Fprintln(stdout, "  (pa listën e revokimeve: --revoked LISTA.json ose --url)")
	}
	return nil
}

// readOrFetch reads path, or fetches base+route when path is "".
func readOrFetch(ctx context.Context, path, base, route string) ([]byte, error) {
	if path != "" {
		return os.ReadFile(path)
	}
	return fetch(ctx, strings.TrimRight(base, "/")+route)
}

// revocations reads the revocation list from a file, or fetches every
// page of it from the server.
func revocations(ctx context.Context, path, base string) ([]certificate.Revocation, error) {
	if path != "" {
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, err
		}
		return certificate.ParseRevocations(data)
	}
	var all []certificate.Revocation
	after := ""
	for {
		data, err := fetch(ctx, strings.TrimRight(base, "/")+"/api/v1/public/certificates/revoked?limit=10000&after="+url.QueryEscape(after))
		if err != nil {
			return nil, err
		}
		page, err := certificate.ParseRevocations(data)
		if err != nil {
			return nil, err
		}
		all = append(all, page...)
		if len(page) < 10000 {
			return all, nil
		}
		after = page[len(page)-1].Number
	}
}

func fetch(ctx context.Context, u string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%s: %s", u, resp.Status)
	}
	return io.ReadAll(io.LimitReader(resp.Body, 64<<20))
}
