// Bundle-time stand-in for the `brotli` package, which fontkit (under pdfkit) needs only to
// decode WOFF2 fonts. The report PDF embeds TTF files, so the 475 KB decoder is left out of the
// Lambda bundle; a WOFF2 font would fail loudly here instead of silently.
export default function decompress() {
  throw new Error("WOFF2 fonts are not supported in the Lambda bundle; use TTF");
}
