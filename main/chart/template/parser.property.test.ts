// Property tests: whatever text it is given, parsing fails only with a TemplateError (never a
// crash), and executing any parsable grammar template fails only with a TemplateError.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { execute, TemplateError, TemplateSet } from './index';
import { grammarData, template } from './template-grammar';

function onlyTemplateErrors(fn: () => unknown): void {
  try {
    fn();
  } catch (e) {
    if (!(e instanceof TemplateError)) throw e;
    expect(e.message).toMatch(/^template: /);
  }
}

const pieces = fc.constantFrom(
  '{{', '}}', '{{-', '-}}', ' ', '\n', '.', '.a', '$', '$x', ':=', '=', '|', '(', ')', '"s"', '`r`', "'c'", '1', '-1', '1.5e3', '0x', 'if', 'else',
  'end', 'range', 'with', 'define', 'template', 'block', 'break', 'continue', 'nil', 'true', '/*', '*/', 'printf', 'len', 'index', ',', '@', 'é', '\\',
);

describe('lexer and parser robustness', () => {
  it('random unicode text never throws anything but TemplateError', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 60 }), (text) => {
        onlyTemplateErrors(() => new TemplateSet().parse('t', text));
      }),
      { numRuns: 2000 },
    );
  });

  it('random sequences of template tokens never throw anything but TemplateError', () => {
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 30 }), (parts) => {
        onlyTemplateErrors(() => new TemplateSet().parse('t', parts.join('')));
      }),
      { numRuns: 3000 },
    );
  });

  it('mutated grammar templates parse and execute with TemplateError as the only failure', () => {
    fc.assert(
      fc.property(template, fc.nat(), fc.nat(), (t, cut, len) => {
        const at = t.length ? cut % t.length : 0;
        const mutated = t.slice(0, at) + t.slice(at + (len % 4));
        onlyTemplateErrors(() => execute(mutated, grammarData, { missingKey: 'default' }));
      }),
      { numRuns: 1000 },
    );
  });

  it('custom delimiters lex the same way', () => {
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 20 }), (parts) => {
        const text = parts.join('').replaceAll('{{', '[[').replaceAll('}}', ']]');
        onlyTemplateErrors(() => new TemplateSet({ leftDelim: '[[', rightDelim: ']]' }).parse('t', text));
      }),
      { numRuns: 1000 },
    );
  });
});
