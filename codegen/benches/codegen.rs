//! Criterion benchmark of a full code generation of the committed spec (load, validate, model, emit, format).
//! Run: `cargo bench -p domain-codegen --bench codegen`.

use criterion::{criterion_group, criterion_main, Criterion};

fn benches(c: &mut Criterion) {
    let spec = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../api-spec");
    let mut group = c.benchmark_group("codegen");
    group.sample_size(10);
    group.bench_function("generate the whole spec", |b| {
        b.iter(|| codegen::generate(&spec).unwrap())
    });
    group.finish();
}

criterion_group!(generation, benches);
criterion_main!(generation);
