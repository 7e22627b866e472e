#ifndef EFFECTIVEGAN_CLAPACKE_SHIM_H
#define EFFECTIVEGAN_CLAPACKE_SHIM_H
// LAPACKE (Debian's liblapacke, which calls OpenBLAS's LAPACK/BLAS through the alternatives system)
// and OpenBLAS's own CBLAS header for BLAS-3 calls.
#include <lapacke.h>
#include <cblas.h>

/// `lapack_int` is a macro and does not import into Swift; this typedef does.
typedef lapack_int clapacke_int;

/// OpenBLAS version string, for report provenance.
static inline const char *clapacke_openblas_config(void) { return openblas_get_config(); }
#endif
