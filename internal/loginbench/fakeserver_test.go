package loginbench

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"
)

// The registration that the child process is started with. The redirect URI
// is never visited, because the browser stops at the redirect to it.
const (
	clientID     = "test-system"
	clientSecret = "loginbench-secret"
	redirectURL  = "http://127.0.0.1/loginbench/callback"
	personID     = 1
)

// fakeServer is examples/fakeserver running as a child process.
type fakeServer struct {
	cmd     *exec.Cmd
	logPath string

	ProviderURL      string
	KPSISURL         string
	ClientProgramURL string
}

// build is the compiled fakeserver. Its directory also contains the logs of
// the fake server's runs, and TestMain removes it.
var build struct {
	once sync.Once
	dir  string
	bin  string
	err  error
}

// buildFakeServer compiles examples/fakeserver once per test binary. The go
// command is found on PATH, where go test puts its own GOROOT/bin first. It
// runs in this package's source directory, so that a test binary built with
// go test -c also works when started elsewhere, for example to profile it.
func buildFakeServer() (string, error) {
	build.once.Do(func() {
		build.dir, build.err = os.MkdirTemp("", "loginbench-")
		if build.err != nil {
			return
		}
		build.bin = filepath.Join(build.dir, "fakeserver")
		cmd := exec.Command("go", "build", "-o", build.bin,
			"github.com/esiful/sdk-go/examples/fakeserver")
		if _, file, _, ok := runtime.Caller(0); ok {
			cmd.Dir = filepath.Dir(file)
		}
		if out, err := cmd.CombinedOutput(); err != nil {
			build.err = fmt.Errorf("loginbench: building examples/fakeserver: %w\n%s", err, out)
		}
	})
	return build.bin, build.err
}

// startupTimeout bounds the wait for the child to print its addresses.
const startupTimeout = 30 * time.Second

// startFakeServer starts the fake ЕС ИФЮЛ on free loopback ports with
// auto-login of personID. Its log goes to a file, not to a pipe, so that no
// goroutine of the measured process copies it.
func startFakeServer() (*fakeServer, error) {
	bin, err := buildFakeServer()
	if err != nil {
		return nil, err
	}
	logFile, err := os.CreateTemp(build.dir, "fakeserver-*.log")
	if err != nil {
		return nil, fmt.Errorf("loginbench: creating the fake server's log: %w", err)
	}
	defer logFile.Close()

	cmd := exec.Command(bin,
		"-provider-addr", "127.0.0.1:0",
		"-kpsis-addr", "127.0.0.1:0",
		"-client-program-addr", "127.0.0.1:0",
		"-client-id", clientID,
		"-client-secret", clientSecret,
		"-redirect-uri", redirectURL,
		"-auto-login", strconv.Itoa(personID))
	cmd.Stderr = logFile
	cmd.SysProcAttr = childProcAttr()
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, fmt.Errorf("loginbench: fake server's stdout: %w", err)
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("loginbench: starting the fake server: %w", err)
	}

	s := &fakeServer{cmd: cmd, logPath: logFile.Name()}
	if err := s.readAddresses(stdout); err != nil {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		return nil, fmt.Errorf("%w\nfake server's log:\n%s", err, s.log())
	}
	return s, nil
}

// readAddresses reads the URLs the fake server prints at startup.
func (s *fakeServer) readAddresses(stdout io.Reader) error {
	fields := map[string]*string{
		"provider (issuer):": &s.ProviderURL,
		"КПСИС:":             &s.KPSISURL,
		"client program:":    &s.ClientProgramURL,
	}
	done := make(chan error, 1)
	go func() {
		scanner := bufio.NewScanner(stdout)
		found := 0
		for found < len(fields) && scanner.Scan() {
			for prefix, field := range fields {
				if rest, ok := strings.CutPrefix(scanner.Text(), prefix); ok {
					*field = strings.TrimSpace(rest)
					found++
				}
			}
		}
		if found < len(fields) {
			done <- fmt.Errorf("loginbench: fake server printed %d of %d addresses: %v",
				found, len(fields), scanner.Err())
			return
		}
		done <- nil
	}()

	select {
	case err := <-done:
		return err
	case <-time.After(startupTimeout):
		return fmt.Errorf("loginbench: fake server printed no addresses within %s",
			startupTimeout)
	}
}

// stopTimeout bounds the fake server's graceful shutdown.
const stopTimeout = 10 * time.Second

// stop sends the fake server SIGINT, on which it shuts its listeners down,
// and waits for it to exit. A server still running after stopTimeout is
// killed. stop returns an error unless the process exited with status 0.
func (s *fakeServer) stop() error {
	if err := s.cmd.Process.Signal(os.Interrupt); err != nil {
		return fmt.Errorf("loginbench: signalling the fake server: %w", err)
	}
	exited := make(chan error, 1)
	go func() { exited <- s.cmd.Wait() }()
	select {
	case err := <-exited:
		if err != nil {
			return fmt.Errorf("loginbench: fake server exited: %w\n%s", err, s.log())
		}
		return nil
	case <-time.After(stopTimeout):
		_ = s.cmd.Process.Kill()
		<-exited
		return fmt.Errorf("loginbench: fake server did not stop within %s; killed", stopTimeout)
	}
}

// maxLogTail bounds the part of the fake server's log quoted in errors.
const maxLogTail = 4 << 10

// log returns the end of the fake server's log.
func (s *fakeServer) log() string {
	b, err := os.ReadFile(s.logPath)
	if err != nil {
		return err.Error()
	}
	if len(b) > maxLogTail {
		b = b[len(b)-maxLogTail:]
	}
	return string(b)
}

// removeBuild removes the compiled fake server and its logs.
func removeBuild() error {
	if build.dir == "" {
		return nil
	}
	return os.RemoveAll(build.dir)
}
