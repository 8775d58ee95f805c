package eval

// Idioms returns short, common Go idioms, written for snipscan's
// evaluation: any finding in them is a false positive. Each is the kind of
// code every Go project writes in nearly the same words.
func Idioms() map[string]string {
	return map[string]string{
		"sort_trio.go": `package idioms

type byName []entry

func (s byName) Len() int           { return len(s) }
func (s byName) Swap(i, j int)      { s[i], s[j] = s[j], s[i] }
func (s byName) Less(i, j int) bool { return s[i].name < s[j].name }

type byAge []person

func (a byAge) Len() int           { return len(a) }
func (a byAge) Less(i, j int) bool { return a[i].Age < a[j].Age }
func (a byAge) Swap(i, j int)      { a[i], a[j] = a[j], a[i] }
`,
		"errors.go": `package idioms

func load(path string) (*config, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(f)
	if err != nil {
		return nil, err
	}
	var c config
	if err := json.Unmarshal(data, &c); err != nil {
		return nil, fmt.Errorf("parse %s: %w", path, err)
	}
	return &c, nil
}
`,
		"handler.go": `package idioms

func logged(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		next.ServeHTTP(w, r)
		log.Printf("%s %s %v", r.Method, r.URL.Path, time.Since(start))
	})
}

func health(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
	json.NewEncoder(w).Encode(map[string]string{"status": "ok"})
}
`,
		"main.go": `package main

func main() {
	verbose := flag.Bool("v", false, "verbose output")
	flag.Parse()
	if flag.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "usage: tool [-v] file...")
		os.Exit(2)
	}
	for _, name := range flag.Args() {
		if *verbose {
			fmt.Println(name)
		}
	}
}
`,
		"mutex.go": `package idioms

type counter struct {
	mu sync.Mutex
	n  map[string]int
}

func (c *counter) Inc(key string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.n[key]++
}

func (c *counter) Get(key string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n[key]
}
`,
		"scanner.go": `package idioms

func lines(r io.Reader) ([]string, error) {
	var out []string
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		out = append(out, line)
	}
	return out, sc.Err()
}
`,
		"errtype.go": `package idioms

type NotFoundError struct {
	Name string
}

func (e *NotFoundError) Error() string {
	return fmt.Sprintf("%s: not found", e.Name)
}

func IsNotFound(err error) bool {
	var nf *NotFoundError
	return errors.As(err, &nf)
}
`,
		"workers.go": `package idioms

func process(items []string, workers int) []result {
	var wg sync.WaitGroup
	in := make(chan string)
	out := make(chan result)
	for i := 0; i < workers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for it := range in {
				out <- handle(it)
			}
		}()
	}
	go func() {
		for _, it := range items {
			in <- it
		}
		close(in)
	}()
	go func() {
		wg.Wait()
		close(out)
	}()
	var res []result
	for r := range out {
		res = append(res, r)
	}
	return res
}
`,
		"options.go": `package idioms

type Option func(*server)

func WithPort(port int) Option {
	return func(s *server) { s.port = port }
}

func WithTimeout(d time.Duration) Option {
	return func(s *server) { s.timeout = d }
}

func WithLogger(l *log.Logger) Option {
	return func(s *server) { s.logger = l }
}

func New(opts ...Option) *server {
	s := &server{port: 8080, timeout: 30 * time.Second}
	for _, o := range opts {
		o(s)
	}
	return s
}
`,
		"table_test.go": `package idioms

func TestAdd(t *testing.T) {
	tests := []struct {
		name string
		a, b int
		want int
	}{
		{"zero", 0, 0, 0},
		{"one", 1, 0, 1},
		{"negative", -1, -2, -3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := add(tt.a, tt.b); got != tt.want {
				t.Errorf("add(%d, %d) = %d, want %d", tt.a, tt.b, got, tt.want)
			}
		})
	}
}
`,
	}
}
