"""Writes the JSON schemas kubeconform validates against, from sources pinned in scripts/scanners/schemas.txt:
Kubernetes' own OpenAPI (swagger.json of the k8s.io/kubernetes module) and CRDs (e.g. KEDA's).

    python kube-schemas.py OUT_DIR SWAGGER_JSON [CRD_YAML ...]

One file per kind, named as kubeconform's default template `{{ .ResourceKind }}{{ .KindSuffix }}.json` expects
(`deployment-apps-v1.json`, `service-v1.json`, `scaledobject-keda-v1alpha1.json`). Schemas are strict, as
kubectl validates: an object with declared properties admits no others, so a misspelt or misplaced field fails.
Kubernetes' definitions go into one `_definitions.json` that each kind file refers to.

openapi2jsonschema (the usual tool) is unmaintained since 2019 and pins click < 8, which conflicts with checkov's.
"""

import json
import os
import sys

import yaml


def strict(node):
    """Every object schema with properties admits no others; int-or-string becomes what it means."""
    if isinstance(node, list):
        return [strict(item) for item in node]
    if not isinstance(node, dict):
        return node
    if node.get("format") == "int-or-string":
        return {"oneOf": [{"type": "string"}, {"type": "integer"}]}
    out = {key: strict(value) for key, value in node.items()}
    if "properties" in out and "additionalProperties" not in out and not out.get("x-kubernetes-preserve-unknown-fields"):
        out["additionalProperties"] = False
    return out


def file_name(kind, group, version):
    suffix = f"-{group.split('.')[0]}-{version}" if group else f"-{version}"
    return f"{kind.lower()}{suffix}.json"


def write(path, schema):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(schema, f, sort_keys=True, separators=(",", ":"))


def kubernetes(out_dir, swagger_path):
    with open(swagger_path, encoding="utf-8") as f:
        definitions = json.load(f)["definitions"]
    write(os.path.join(out_dir, "_definitions.json"), {"definitions": strict(definitions)})
    count = 0
    for name, definition in definitions.items():
        for gvk in definition.get("x-kubernetes-group-version-kind", []):
            ref = {"$ref": f"_definitions.json#/definitions/{name}"}
            write(os.path.join(out_dir, file_name(gvk["kind"], gvk.get("group", ""), gvk["version"])), ref)
            count += 1
    return count


def crd(out_dir, crd_path):
    count = 0
    with open(crd_path, encoding="utf-8") as f:
        for document in yaml.safe_load_all(f):
            if not document or document.get("kind") != "CustomResourceDefinition":
                continue
            spec = document["spec"]
            for version in spec["versions"]:
                schema = version.get("schema", {}).get("openAPIV3Schema")
                if schema is None:
                    continue
                write(os.path.join(out_dir, file_name(spec["names"]["kind"], spec["group"], version["name"])), strict(schema))
                count += 1
    return count


def main(argv):
    if len(argv) < 3:
        sys.exit(__doc__)
    out_dir, swagger, crds = argv[1], argv[2], argv[3:]
    os.makedirs(out_dir, exist_ok=True)
    count = kubernetes(out_dir, swagger) + sum(crd(out_dir, path) for path in crds)
    print(f"kube-schemas: {count} kinds written to {out_dir}", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv)
