package dev.kindling.backend.cuda;

import org.bytedeco.cuda.cudart.CUfunc_st;
import org.bytedeco.cuda.cudart.CUmod_st;

/** A loaded kernel: the module that holds it and its function handle. */
record CudaKernel(String name, CUmod_st module, CUfunc_st function) {}
