# workerd serving worker.mjs; mk/wasm.mk's test passes --socket-addr http=127.0.0.1:<free port>.
# The module named "hooksig" is the package's `workerd` entry; its relative
# imports (./api.mjs, ./hooksig.wasm) resolve to the modules named so.
using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [(name = "main", worker = .worker)],
  sockets = [(name = "http", address = "127.0.0.1:0", http = (), service = "main")],
);

const worker :Workerd.Worker = (
  modules = [
    (name = "worker.mjs", esModule = embed "worker.mjs"),
    (name = "hooksig", esModule = embed "../../../bindings-node/edge/workerd.mjs"),
    (name = "api.mjs", esModule = embed "../../../bindings-node/edge/api.mjs"),
    (name = "hooksig.wasm", wasm = embed "../../../bindings-node/edge/hooksig.wasm"),
  ],
  compatibilityDate = "2025-09-01",
);
