"""Times the PyTorch peer's kernel map (../shared/bench/peer_sparse_conv.py, imported, not copied)
over repetitions, for `pointcontrast bench sparse --kernel-map-only` comparisons: the peer script
itself times its kernel map once. Prints one JSON object with min / median / max in ms.

  /usr/bin/python3 scripts/peer-kernel-map.py --peer ../shared/bench/peer_sparse_conv.py \
      --coords .tmp/room.i32 --threads 2 --reps 7
"""
import argparse, importlib.util, json, os, statistics, time
import numpy as np
import torch

ap = argparse.ArgumentParser()
ap.add_argument("--peer", default="../shared/bench/peer_sparse_conv.py")
ap.add_argument("--coords", required=True)
ap.add_argument("--threads", type=int, default=2)
ap.add_argument("--reps", type=int, default=7)
a = ap.parse_args()
spec = importlib.util.spec_from_file_location("peer", a.peer)
peer = importlib.util.module_from_spec(spec)
spec.loader.exec_module(peer)
torch.set_num_threads(a.threads)
q = torch.from_numpy(np.fromfile(a.coords, dtype="<i4").reshape(-1, 3).astype(np.int64))
q = q - q.min(0).values  # as the peer does
load = os.getloadavg()[0]
peer.kernel_map(q)  # warm-up, as the peer does
ts = []
for _ in range(a.reps):
    t0 = time.perf_counter()
    maps = peer.kernel_map(q)
    ts.append((time.perf_counter() - t0) * 1e3)
ts.sort()
print(json.dumps({"backend": "pytorch-%s-cpu" % torch.__version__, "threads": a.threads,
                  "voxels": int(q.shape[0]), "pairs": int(sum(len(i) for i, _ in maps)), "reps": a.reps,
                  "kernel_map_ms": round(statistics.median(ts), 2), "kernel_map_ms_min": round(ts[0], 2),
                  "kernel_map_ms_max": round(ts[-1], 2), "load_before": round(load, 2),
                  "load_after": round(os.getloadavg()[0], 2)}))
