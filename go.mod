module gridwatch

go 1.26.8

require (
	github.com/go-chi/chi/v5 v5.5.0
	github.com/paulmach/orb v0.14.0
	github.com/stretchr/testify v1.12.1
	github.com/tidwall/rtree v1.10.0
	github.com/uber/h3-go/v4 v4.1.0
	golang.org/x/text v0.44.0
)

require (
	github.com/tidwall/geoindex v1.7.0 // indirect
	go.mongodb.org/mongo-driver/v2 v2.5.0 // indirect
	go.yaml.in/yaml/v3 v3.0.5 // indirect
	golang.org/x/sys v0.50.0 // indirect
	golang.org/x/term v0.48.0 // indirect
)
