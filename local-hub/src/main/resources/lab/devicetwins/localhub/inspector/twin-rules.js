// The hub's twin rules, checked in the page before an edit is sent, so a mistake is shown where it is made.
// The hub checks the same rules again on the write (its word is final); this module only mirrors them:
// keys (not empty, no '.', '$', ' ' or control characters, at most keyMaxBytes), nesting (at most maxDepth
// levels of objects and arrays below a section), strings (at most stringMaxBytes), integers (minInteger..maxInteger),
// no null inside arrays, and the size of tags and of desired properties. Pure functions, no page access.

const encoder = new TextEncoder();

export function utf8Bytes(text) {
  return encoder.encode(text).length;
}

/** Problems of one key, as messages; empty when the key is fine. */
export function keyProblems(key, limits) {
  const problems = [];
  if (key.length === 0) {
    problems.push('key is empty; twin keys need at least one character');
  }
  for (const ch of key) {
    const code = ch.codePointAt(0);
    if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) {
      problems.push('key contains the control character U+' + code.toString(16).toUpperCase().padStart(4, '0'));
    } else if (ch === '.' || ch === '$' || ch === ' ') {
      problems.push("key contains '" + ch + "', which twin keys may not contain");
    }
  }
  if (utf8Bytes(key) > limits.keyMaxBytes) {
    problems.push('key is ' + utf8Bytes(key) + ' bytes in UTF-8, over the ' + limits.keyMaxBytes + '-byte limit');
  }
  return problems;
}

function checkValue(value, path, depth, insideArray, limits, errors) {
  if (value === null) {
    if (insideArray) {
      errors.push({ path, message: 'arrays in a twin may not contain null' });
    }
  } else if (Array.isArray(value)) {
    if (depth + 1 > limits.maxDepth) {
      errors.push({ path, message: 'nested ' + (depth + 1) + ' levels deep; a twin allows at most ' + limits.maxDepth });
      return;
    }
    value.forEach((item, i) => checkValue(item, path + '[' + i + ']', depth + 1, true, limits, errors));
  } else if (typeof value === 'object') {
    if (depth + 1 > limits.maxDepth) {
      errors.push({ path, message: 'nested ' + (depth + 1) + ' levels deep; a twin allows at most ' + limits.maxDepth });
      return;
    }
    checkMembers(value, path, depth + 1, insideArray, limits, errors);
  } else if (typeof value === 'string') {
    const bytes = utf8Bytes(value);
    if (bytes > limits.stringMaxBytes) {
      errors.push({ path, message: 'string is ' + bytes + ' bytes in UTF-8, over the ' + limits.stringMaxBytes + '-byte limit' });
    }
  } else if (typeof value === 'number' && Number.isInteger(value)
      && (value < limits.minInteger || value > limits.maxInteger)) {
    errors.push({ path, message: 'integer ' + value + ' is outside ' + limits.minInteger + '..' + limits.maxInteger });
  }
}

function checkMembers(object, path, depth, insideArray, limits, errors) {
  for (const [key, value] of Object.entries(object)) {
    const memberPath = path + '.' + key;
    for (const message of keyProblems(key, limits)) {
      errors.push({ path: memberPath, message });
    }
    checkValue(value, memberPath, depth, insideArray, limits, errors);
  }
}

/** Where a JSON.parse error is, as line and column (1-based), when the browser says at which position. */
export function parsePosition(text, message) {
  const at = /position (\d+)/.exec(message);
  if (!at) {
    const lc = /line (\d+) column (\d+)/.exec(message);
    return lc ? { line: Number(lc[1]), column: Number(lc[2]) } : null;
  }
  const before = text.slice(0, Number(at[1]));
  const lines = before.split('\n');
  return { line: lines.length, column: lines[lines.length - 1].length + 1 };
}

/**
 * Checks the editor's text: {"tags": {...}, "properties": {"desired": {...}}}.
 * Returns {ok: true, body} or {ok: false, errors: [{path, message}]}.
 */
export function validateTwinEdit(text, limits) {
  let parsed;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    const where = parsePosition(text, String(e.message));
    return { ok: false, errors: [{ path: where ? 'line ' + where.line + ', column ' + where.column : '',
      message: 'not valid JSON: ' + e.message }] };
  }
  const errors = [];
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    return { ok: false, errors: [{ path: '', message: 'the edit must be a JSON object with tags and properties.desired' }] };
  }
  for (const key of Object.keys(parsed)) {
    if (key !== 'tags' && key !== 'properties') {
      errors.push({ path: key, message: 'only tags and properties.desired can be edited' });
    }
  }
  const tags = parsed.tags === undefined ? {} : parsed.tags;
  const properties = parsed.properties === undefined ? {} : parsed.properties;
  if (tags === null || typeof tags !== 'object' || Array.isArray(tags)) {
    errors.push({ path: 'tags', message: 'tags must be an object' });
  }
  if (properties === null || typeof properties !== 'object' || Array.isArray(properties)) {
    errors.push({ path: 'properties', message: 'properties must be an object' });
  } else {
    for (const key of Object.keys(properties)) {
      if (key !== 'desired') {
        errors.push({ path: 'properties.' + key, message: 'only desired properties can be set from the service side' });
      }
    }
  }
  if (errors.length > 0) {
    return { ok: false, errors };
  }
  const desired = Object.assign({}, properties.desired || {});
  delete desired.$version;
  delete desired.$metadata;
  checkMembers(tags, 'tags', 0, false, limits, errors);
  checkMembers(desired, 'properties.desired', 0, false, limits, errors);
  const tagsBytes = utf8Bytes(JSON.stringify(tags));
  if (tagsBytes > limits.tagsMaxBytes) {
    errors.push({ path: 'tags', message: 'tags are ' + tagsBytes + ' bytes, over the ' + limits.tagsMaxBytes + '-byte limit' });
  }
  const desiredBytes = utf8Bytes(JSON.stringify(desired));
  if (desiredBytes > limits.desiredMaxBytes) {
    errors.push({ path: 'properties.desired', message: 'desired properties are ' + desiredBytes
      + ' bytes, over the ' + limits.desiredMaxBytes + '-byte limit' });
  }
  if (errors.length > 0) {
    return { ok: false, errors };
  }
  return { ok: true, body: { tags, properties: { desired } } };
}
