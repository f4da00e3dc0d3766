//! Minifies each component's stylesheet (`src/components/*.css`) into `OUT_DIR`, where `src/styles.rs`
//! includes it: the sources stay readable, and the visitor does not download their comments and indentation.

use std::{env, fs, path::Path};

fn main() {
    let out = env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    let dir = Path::new("src/components");
    println!("cargo:rerun-if-changed={}", dir.display());
    for entry in fs::read_dir(dir).expect("src/components is readable") {
        let path = entry.expect("a directory entry").path();
        if path.extension().is_none_or(|ext| ext != "css") {
            continue;
        }
        println!("cargo:rerun-if-changed={}", path.display());
        let source = fs::read_to_string(&path).expect("a stylesheet is UTF-8");
        let minified = minifier::css::minify(&source)
            .unwrap_or_else(|why| panic!("{} does not parse as CSS: {why}", path.display()));
        let name = path.file_name().expect("a file name");
        fs::write(Path::new(&out).join(name), minified.to_string()).expect("OUT_DIR is writable");
    }
}
