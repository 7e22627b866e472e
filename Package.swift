// swift-tools-version: 6.0
// EffectiveGAN: the physics of GAN training as an effective particle model.
//
// Data path (each arrow a module boundary):
//   CLAPACKE / CGSL (C, system libraries via pkg-config)
//     → LinearAlgebra (Matrix, eigenvalues, BLAS-3)   GSLBridge (RNG, ODE, root finding)
//   CVectorMath (C: glibc libmvec sin/cos/tanh over arrays, for the vector field's hot loop)
//     → EffectiveGAN (config → model → field & Jacobian → spectrum → sweeps → simulation)
//     → ResultForms (the JSON, CSV and text forms of every result, with provenance)
//     → StabilityReport (Markdown reports, SVG figures)   EffectiveGANMPI (CMPI: study cells across MPI ranks)
//     → EganCLI (swift-argument-parser commands, text notebooks) → egan (the executable)
import PackageDescription

// glibc's libmvec (vectorised sin/cos/tanh) exists on x86-64; elsewhere CVectorMath compiles to scalar libm loops
// (its C source tests __x86_64__ too). Linked directly rather than looked up with dlopen: measured, the dlopen
// variant made simulate-256 20 % slower (0.139 s against 0.113 s).
#if arch(x86_64)
let vectorMathLibraries: [LinkerSetting] = [.linkedLibrary("mvec"), .linkedLibrary("m")]
#else
let vectorMathLibraries: [LinkerSetting] = [.linkedLibrary("m")]
#endif

/// swift-numerics: `Numerics` for the library's real functions and the tests' `isApproximatelyEqual`.
let numerics = Target.Dependency.product(name: "Numerics", package: "swift-numerics")

let package = Package(
    name: "EffectiveGAN",
    products: [
        .library(name: "EffectiveGAN", targets: ["EffectiveGAN"]),
        .executable(name: "egan", targets: ["egan"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-numerics", from: "1.0.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CLAPACKE", pkgConfig: "lapacke",
            providers: [.apt(["liblapacke-dev", "libopenblas-dev"])]),
        .systemLibrary(
            name: "CGSL", pkgConfig: "gsl",
            providers: [.apt(["libgsl-dev"])]),
        .systemLibrary(
            name: "CMPI", pkgConfig: "ompi-c",
            providers: [.apt(["libopenmpi-dev", "openmpi-bin"])]),
        .target(
            name: "LinearAlgebra",
            dependencies: ["CLAPACKE", numerics]),
        .target(name: "GSLBridge", dependencies: ["CGSL"]),
        .target(name: "CVectorMath", linkerSettings: vectorMathLibraries),
        .target(
            name: "EffectiveGAN",
            dependencies: [
                "LinearAlgebra", "GSLBridge", "CVectorMath", numerics],
            // Real data sets compiled into the library (no file to find at run time): see Data/BundledDataset.swift.
            resources: [.embedInCode("Resources/digits100.json"), .embedInCode("Resources/mnist100.json")]),
        // One owner for what a result looks like outside the library: every command's JSON (schema, provenance),
        // CSV and tables, used by the CLI, reports and notebooks alike.
        .target(name: "ResultForms", dependencies: ["EffectiveGAN", "LinearAlgebra", "GSLBridge"]),
        .target(name: "StabilityReport", dependencies: ["EffectiveGAN", "ResultForms", "LinearAlgebra", "GSLBridge"]),
        // Studies across the ranks of an MPI job; EffectiveGAN itself never needs MPI (see Support/CellExecution).
        .target(name: "EffectiveGANMPI", dependencies: ["EffectiveGAN", "CMPI"]),
        .target(
            name: "EganCLI",
            dependencies: [
                "EffectiveGAN", "ResultForms", "StabilityReport", "EffectiveGANMPI", "LinearAlgebra", "GSLBridge",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        .executableTarget(name: "egan", dependencies: ["EganCLI"]),
        .testTarget(name: "LinearAlgebraTests", dependencies: ["LinearAlgebra", numerics]),
        .testTarget(name: "EffectiveGANTests", dependencies: ["EffectiveGAN", "LinearAlgebra", "GSLBridge", numerics]),
        .testTarget(name: "StabilityReportTests", dependencies: ["StabilityReport", "EffectiveGAN", numerics]),
        .testTarget(name: "EganCLITests", dependencies: ["EganCLI", "EffectiveGAN", "ResultForms", numerics]),
    ]
)
