import { expect } from 'chai';
import { parseXml } from './xml.js';

describe('test helper parseXml (XML well-formedness)', () => {
  it('reads elements, attributes, text and entities', () => {
    const root = parseXml(
      '<?xml version="1.0"?>\n<!-- c --><a x="1" y=\'a &amp; b\'><b/>t &lt;&#65;&#x42;<c z="&quot;">u</c></a>\n',
    );
    expect(root.name).to.equal('a');
    expect(root.attrs).to.deep.equal({ x: '1', y: 'a & b' });
    expect(root.children.map((c) => c.name)).to.deep.equal(['b', 'c']);
    expect(root.text).to.equal('t <AB');
    expect(root.children[1]!.attrs.z).to.equal('"');
    expect(root.children[1]!.text).to.equal('u');
  });

  for (const [doc, why] of [
    ['<a><b></a>', /<\/a> closes <b>/],
    ['<a>', /<a> is never closed/],
    ['<a></a></b>', /closes nothing/],
    ['<a x=1/>', /not quoted/],
    ['<a x="1" x="2"/>', /repeated/],
    ['<a x="1"y="2"/>', /space before an attribute/],
    ['<a>1 < 2</a>', /expected a name|raw "<"/],
    ['<a>fish & chips</a>', /"&" without ";"|unknown entity/],
    ['<a>&nbsp;</a>', /unknown entity/],
    ['<a/><b/>', /second root/],
    ['text<a/>', /outside the root/],
    ['<a x="<"/>', /raw "<"/],
    ['', /no root/],
  ] as [string, RegExp][]) {
    it(`refuses ${JSON.stringify(doc)}`, () => {
      expect(() => parseXml(doc)).to.throw(why);
    });
  }
});
