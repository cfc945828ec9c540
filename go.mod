module github.com/h1dev/h1

go 1.26.0

require (
	github.com/HdrHistogram/hdrhistogram-go v1.1.2
	github.com/andybalholm/brotli v1.2.2
	github.com/klauspost/compress v1.19.1
	github.com/refraction-networking/utls v1.8.2
	github.com/stretchr/testify v1.12.1
	github.com/valyala/fasthttp v1.73.0
	golang.org/x/sys v0.49.0
)

require (
	github.com/valyala/bytebufferpool v1.0.0 // indirect
	go.yaml.in/yaml/v3 v3.0.5 // indirect
	golang.org/x/crypto v0.54.0 // indirect
)
