module github.com/seed42f0b14b/ghactions/benchmarks

go 1.25.0

replace github.com/seed42f0b14b/ghactions => ../

require (
	github.com/go-json-experiment/json v0.0.0-20250813024750-ebf49471dced
	github.com/google/go-github/v84 v84.0.0
	github.com/seed42f0b14b/ghactions v0.0.0-00010101000000-000000000000
	github.com/stretchr/testify v1.12.1
)

require (
	github.com/google/go-querystring v1.2.0 // indirect
	github.com/hashicorp/go-cleanhttp v0.5.2 // indirect
	github.com/hashicorp/go-retryablehttp v0.7.8 // indirect
	go.yaml.in/yaml/v3 v3.0.5 // indirect
)
