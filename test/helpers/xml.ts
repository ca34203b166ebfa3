/**
 * A small XML well-formedness checker and reader for tests (no dependency): one pass over the characters with
 * a stack of open elements. It throws on what an XML parser refuses (unclosed or crossed tags, unquoted or
 * repeated attributes, a raw '<' or a bad '&' entity in text or attributes, text or a second element outside
 * the root) and returns the element tree. It skips the XML declaration and comments; no DTDs, no CDATA.
 */
export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  /** The element's own text, entities decoded (children's text not included). */
  text: string;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function isNameChar(c: string): boolean {
  const code = c.charCodeAt(0);
  return (
    (code >= 48 && code <= 57) ||
    (code >= 65 && code <= 90) ||
    (code >= 97 && code <= 122) ||
    c === '_' ||
    c === '-' ||
    c === '.' ||
    c === ':'
  );
}

function isSpace(c: string | undefined): boolean {
  return c === ' ' || c === '\n' || c === '\t' || c === '\r';
}

export function parseXml(text: string): XmlElement {
  let i = 0;
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  const fail = (why: string): never => {
    const line = text.slice(0, i).split('\n').length;
    throw new Error(`XML not well-formed at line ${line}: ${why}`);
  };

  const decode = (raw: string): string => {
    let out = '';
    for (let k = 0; k < raw.length; k++) {
      const c = raw[k]!;
      if (c === '<') fail('raw "<" in text or attribute value');
      if (c !== '&') {
        out += c;
        continue;
      }
      const end = raw.indexOf(';', k);
      if (end < 0) fail('"&" without ";"');
      const ent = raw.slice(k + 1, end);
      if (
        ent.startsWith('#x') &&
        ent.length > 2 &&
        [...ent.slice(2)].every((d) => '0123456789abcdefABCDEF'.includes(d))
      )
        out += String.fromCodePoint(parseInt(ent.slice(2), 16));
      else if (ent.startsWith('#') && ent.length > 1 && [...ent.slice(1)].every((d) => d >= '0' && d <= '9'))
        out += String.fromCodePoint(Number(ent.slice(1)));
      else if (ENTITIES[ent] !== undefined) out += ENTITIES[ent];
      else fail(`unknown entity "&${ent};"`);
      k = end;
    }
    return out;
  };

  const readName = (): string => {
    const start = i;
    while (i < text.length && isNameChar(text[i]!)) i++;
    if (i === start) fail(`expected a name, found "${text[i] ?? 'end of file'}"`);
    return text.slice(start, i);
  };
  const skipSpace = (): void => {
    while (isSpace(text[i])) i++;
  };

  if (text.startsWith('<?xml')) {
    const end = text.indexOf('?>');
    if (end < 0) fail('unterminated XML declaration');
    i = end + 2;
  }
  while (i < text.length) {
    if (text.startsWith('<!--', i)) {
      const end = text.indexOf('-->', i + 4);
      if (end < 0) fail('unterminated comment');
      i = end + 3;
    } else if (text.startsWith('</', i)) {
      i += 2;
      const name = readName();
      skipSpace();
      if (text[i] !== '>') fail(`expected ">" to close </${name}`);
      i++;
      const open = stack.pop();
      if (!open) fail(`</${name}> closes nothing`);
      if (open!.name !== name) fail(`</${name}> closes <${open!.name}>`);
    } else if (text[i] === '<') {
      if (text.startsWith('<!', i) || text.startsWith('<?', i))
        fail('DTDs, CDATA and processing instructions are not supported');
      i++;
      const el: XmlElement = { name: readName(), attrs: {}, children: [], text: '' };
      for (;;) {
        const hadSpace = isSpace(text[i]);
        skipSpace();
        if (text[i] === '>' || text.startsWith('/>', i)) break;
        if (!hadSpace) fail(`expected a space before an attribute of <${el.name}>`);
        const attr = readName();
        if (attr in el.attrs) fail(`attribute ${attr} repeated on <${el.name}>`);
        skipSpace();
        if (text[i] !== '=') fail(`attribute ${attr} of <${el.name}> has no value`);
        i++;
        skipSpace();
        const q = text[i];
        if (q !== '"' && q !== "'") fail(`attribute ${attr} of <${el.name}> is not quoted`);
        const end = text.indexOf(q!, i + 1);
        if (end < 0) fail(`attribute ${attr} of <${el.name}> is not closed`);
        el.attrs[attr] = decode(text.slice(i + 1, end));
        i = end + 1;
      }
      const parent = stack[stack.length - 1];
      if (parent) parent.children.push(el);
      else if (root) fail(`a second root element <${el.name}>`);
      else root = el;
      if (text.startsWith('/>', i)) i += 2;
      else {
        i++;
        stack.push(el);
      }
    } else {
      const end = text.indexOf('<', i);
      const raw = text.slice(i, end < 0 ? text.length : end);
      const parent = stack[stack.length - 1];
      if (parent) parent.text += decode(raw);
      else if (raw.trim() !== '') fail('text outside the root element');
      i = end < 0 ? text.length : end;
    }
  }
  if (stack.length > 0) fail(`<${stack[stack.length - 1]!.name}> is never closed`);
  if (!root) fail('no root element');
  return root!;
}

/** Every element below (and including) `el`, depth first. */
export function allElements(el: XmlElement): XmlElement[] {
  return [el, ...el.children.flatMap(allElements)];
}
