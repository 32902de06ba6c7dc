#!/usr/bin/python3
"""deploy/tg.yaml as podman 4.3's `kube play` can run it, one piece at a time (make
images-test; deploy/README.md, "Under podman").  podman 4.3 plays Pods, Deployments,
PersistentVolumeClaims and ConfigMaps and skips Secrets, Services and Jobs.  So, from
the one YAML:

  secret TOKEN       the Secret's data, every key's value TOKEN, as the JSON object of
                     base64 values that podman 4.3 reads from a `podman secret` for an
                     env secretKeyRef
  volumes            the PersistentVolumeClaims (podman makes named volumes of them)
  replicas           the Deployment's replica count
  serve K PORT       replica K of the Deployment: a copy named NAME-K with one replica,
                     its port published on 127.0.0.1:PORT (a Deployment's replicas would
                     all ask for one host port; with no Service, the test talks to each
                     replica), the probes left out (podman would turn them into curl
                     health checks, and the image has no curl)
  job RUN            the Job's pod template as a Pod named NAME-RUN

Usage: kube_podman.py YAML PIECE [ARGS]; writes the YAML to standard output."""
import base64
import json
import sys

import yaml


def docs(path):
    with open(path) as f:
        return [d for d in yaml.safe_load_all(f) if d]


def one(all_docs, kind):
    found = [d for d in all_docs if d["kind"] == kind]
    if len(found) != 1:
        sys.exit(f"kube_podman: expected one {kind}, found {len(found)}")
    return found[0]


def main(argv):
    if len(argv) < 3:
        sys.exit(__doc__)
    all_docs, piece, args = docs(argv[1]), argv[2], argv[3:]
    if piece == "secret" and len(args) == 1:
        secret = one(all_docs, "Secret")
        value = base64.b64encode(args[0].encode()).decode()
        keys = list(secret.get("stringData", {})) + list(secret.get("data", {}))
        print(json.dumps({k: value for k in keys}))
        return
    elif piece == "volumes" and not args:
        out = [d for d in all_docs if d["kind"] == "PersistentVolumeClaim"]
    elif piece == "replicas" and not args:
        print(one(all_docs, "Deployment")["spec"]["replicas"])
        return
    elif piece == "serve" and len(args) == 2:
        dep = one(all_docs, "Deployment")
        dep["metadata"]["name"] += f"-{args[0]}"
        dep["spec"]["replicas"] = 1
        for c in dep["spec"]["template"]["spec"]["containers"]:
            c.pop("readinessProbe", None)
            c.pop("livenessProbe", None)
            for p in c.get("ports", []):
                p.update(hostIP="127.0.0.1", hostPort=int(args[1]))
        out = [dep]
    elif piece == "job" and len(args) == 1:
        job = one(all_docs, "Job")
        tmpl = job["spec"]["template"]
        meta = dict(tmpl.get("metadata", {}), name=f"{job['metadata']['name']}-{args[0]}")
        out = [{"apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": tmpl["spec"]}]
    else:
        sys.exit(__doc__)
    yaml.safe_dump_all(out, sys.stdout, sort_keys=False)


if __name__ == "__main__":
    main(sys.argv)
