// Shrinks one photo off the main thread before it is uploaded: decoded
// straight to at most 2,400 px on the long edge (the browser applies the EXIF
// orientation; nothing is rotated by hand), encoded as a JPEG, and made once
// smaller again if it is still over 1 MB. The re-encoded file carries no
// metadata at all; the capture date is read from the original first and
// travels beside it. The server re-checks and re-processes every byte anyway.
"use strict";

var LONG_EDGE = 2400;
var QUALITY = 0.85;
var MAX_BYTES = 1024 * 1024;

// --- reading the JPEG's own header ---------------------------------------------------

function jpegInfo(buffer) {
  // Width, height, orientation, DateTimeOriginal and OffsetTimeOriginal.
  var view = new DataView(buffer);
  var info = { width: 0, height: 0, orientation: 1, taken: "", offset: "" };
  if (view.byteLength < 4 || view.getUint16(0) !== 0xffd8) return null;
  var pos = 2;
  while (pos + 4 <= view.byteLength) {
    if (view.getUint8(pos) !== 0xff) return info;
    var marker = view.getUint8(pos + 1);
    var length = view.getUint16(pos + 2);
    if (marker === 0xe1 && view.getUint32(pos + 4) === 0x45786966) readExif(view, pos + 10, info);
    // SOF0–SOF15, except DHT (C4), JPG (C8) and DAC (CC): the frame's size.
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      info.height = view.getUint16(pos + 5);
      info.width = view.getUint16(pos + 7);
      return info;
    }
    if (marker === 0xda) return info; // image data: no frame header came first
    pos += 2 + length;
  }
  return info;
}

function readExif(view, tiff, info) {
  try {
    var little = view.getUint16(tiff) === 0x4949;
    var u16 = function (p) { return view.getUint16(p, little); };
    var u32 = function (p) { return view.getUint32(p, little); };
    var ascii = function (entry) {
      var count = u32(entry + 4);
      var at = count > 4 ? tiff + u32(entry + 8) : entry + 8;
      var text = "";
      for (var i = 0; i < count - 1 && at + i < view.byteLength; i++) text += String.fromCharCode(view.getUint8(at + i));
      return text;
    };
    var ifd = tiff + u32(tiff + 4);
    var exifIfd = 0;
    for (var n = u16(ifd), e = ifd + 2; n > 0; n--, e += 12) {
      var tag = u16(e);
      if (tag === 0x0112) info.orientation = u16(e + 8);
      if (tag === 0x8769) exifIfd = tiff + u32(e + 8);
    }
    if (!exifIfd) return;
    for (var m = u16(exifIfd), f = exifIfd + 2; m > 0; m--, f += 12) {
      var t = u16(f);
      if (t === 0x9003) info.taken = ascii(f);
      if (t === 0x9011) info.offset = ascii(f);
    }
  } catch (error) {
    // A damaged EXIF block only loses the date; the photo still goes.
  }
}

// --- shrinking -----------------------------------------------------------------------

async function encode(bitmap, width, height, quality) {
  var canvas = new OffscreenCanvas(width, height);
  canvas.getContext("2d").drawImage(bitmap, 0, 0, width, height);
  var blob = await canvas.convertToBlob({ type: "image/jpeg", quality: quality });
  canvas.width = canvas.height = 0; // give the memory back now (iOS caps canvases)
  return blob;
}

async function shrink(file) {
  var buffer = await file.arrayBuffer();
  var info = jpegInfo(buffer);
  var result = { taken: info ? info.taken : "", offset: info ? info.offset : "" };
  var options = { imageOrientation: "from-image" };
  if (info && info.width && info.height) {
    // Decode straight to the target size, so a 48 MP photo never sits in memory whole.
    var turned = info.orientation >= 5 && info.orientation <= 8;
    var w = turned ? info.height : info.width;
    var h = turned ? info.width : info.height;
    var scale = Math.min(1, LONG_EDGE / Math.max(w, h));
    options.resizeWidth = Math.max(1, Math.round(w * scale));
    options.resizeHeight = Math.max(1, Math.round(h * scale));
    options.resizeQuality = "high";
  }
  var bitmap = await createImageBitmap(new Blob([buffer], { type: file.type }), options);
  buffer = null;
  try {
    var scale2 = Math.min(1, LONG_EDGE / Math.max(bitmap.width, bitmap.height));
    var width = Math.round(bitmap.width * scale2);
    var height = Math.round(bitmap.height * scale2);
    var blob = await encode(bitmap, width, height, QUALITY);
    if (blob.size > MAX_BYTES) {
      blob = await encode(bitmap, Math.round(width * 0.75), Math.round(height * 0.75), 0.8);
    }
    if (blob.size >= file.size) return Object.assign(result, { unchanged: true }); // small already
    result.blob = blob;
    return result;
  } finally {
    bitmap.close();
  }
}

self.onmessage = async function (event) {
  try {
    self.postMessage(await shrink(event.data));
  } catch (error) {
    // HEIC and anything else this browser cannot decode goes up as it is.
    self.postMessage({ failed: String(error) });
  }
};
