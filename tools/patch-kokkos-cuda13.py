"""CUDA 13 changed cudaMemPrefetchAsync to take a cudaMemLocation; patch Kokkos 3.4's call."""
import sys

path = sys.argv[1]
src = open(path).read()
old = """    CUDA_SAFE_CALL(cudaMemPrefetchAsync(ptr, bytes, space.cuda_device(),
                                        space.cuda_stream()));"""
new = """#if CUDART_VERSION >= 13000
    cudaMemLocation loc;
    loc.type = cudaMemLocationTypeDevice;
    loc.id = space.cuda_device();
    CUDA_SAFE_CALL(cudaMemPrefetchAsync(ptr, bytes, loc, 0, space.cuda_stream()));
#else
    CUDA_SAFE_CALL(cudaMemPrefetchAsync(ptr, bytes, space.cuda_device(),
                                        space.cuda_stream()));
#endif"""
if old not in src:
    sys.exit(f"patch-kokkos-cuda13: unexpected contents of {path}")
open(path, "w").write(src.replace(old, new))
