// Command gen writes the two files the kubernetes provider embeds, the way its own `go generate`
// (cmd/pulumi-resource-kubernetes/generate.go) makes them: schema-embed.json is schema.json decoded into a
// schema.PackageSpec, its version set, and encoded again (minified); terraform-mapping-embed.json is
// terraform-mapping.json minified.
//
//	go run ./gen -version 4.34.2 -out DIR
//
// It reads both sources from the provider module this module requires (or from the directory -src names).
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"

	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
)

const (
	providerModule = "github.com/pulumi/pulumi-kubernetes/provider/v4"
	providerCmd    = "cmd/pulumi-resource-kubernetes"
)

func main() {
	version := flag.String("version", "", "the provider version to write into the schema (required)")
	out := flag.String("out", "", "the directory to write schema-embed.json and terraform-mapping-embed.json to (required)")
	src := flag.String("src", "", "the directory holding schema.json and terraform-mapping.json (default: "+providerModule+"/"+providerCmd+" in the module cache)")
	flag.Parse()
	if *version == "" || *out == "" {
		flag.Usage()
		os.Exit(2)
	}
	if err := run(*version, *src, *out); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(version, src, out string) error {
	if src == "" {
		// `go list` of the package fails until its embed files exist: ask for the module's directory instead.
		download, err := exec.Command("go", "mod", "download", "-json", providerModule).Output()
		if err != nil {
			return fmt.Errorf("go mod download %s: %w", providerModule, err)
		}
		var module struct{ Dir, Error string }
		if err := json.Unmarshal(download, &module); err != nil || module.Dir == "" {
			return fmt.Errorf("go mod download %s: no directory (%v %s)", providerModule, err, module.Error)
		}
		src = filepath.Join(module.Dir, providerCmd)
	}

	schemaContents, err := os.ReadFile(filepath.Join(src, "schema.json"))
	if err != nil {
		return err
	}
	var packageSpec schema.PackageSpec
	if err := json.Unmarshal(schemaContents, &packageSpec); err != nil {
		return fmt.Errorf("cannot deserialize schema: %w", err)
	}
	packageSpec.Version = version
	versionedContents, err := json.Marshal(packageSpec)
	if err != nil {
		return fmt.Errorf("cannot reserialize schema: %w", err)
	}

	terraformContents, err := os.ReadFile(filepath.Join(src, "terraform-mapping.json"))
	if err != nil {
		return err
	}
	var mapping interface{}
	if err := json.Unmarshal(terraformContents, &mapping); err != nil {
		return fmt.Errorf("cannot deserialize terraform mapping: %w", err)
	}
	embeddedMapping, err := json.Marshal(mapping)
	if err != nil {
		return fmt.Errorf("cannot reserialize terraform mapping: %w", err)
	}

	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(out, "schema-embed.json"), versionedContents, 0o644); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(out, "terraform-mapping-embed.json"), embeddedMapping, 0o644)
}
