// The Sprig template function library (github.com/Masterminds/sprig v3, as Helm 3 uses it) for
// the chart engine: one map from function name to implementation over the Go value model
// described in convert.ts. Each function carries `arity`/`params` (signature.ts) and throws
// Go's/Sprig's messages. Behaviour is checked against the real Sprig 3.2.3 in golden.test.ts;
// its KNOWN_DIFFERENCES list what the shared value model cannot express (int vs int64, []string
// vs []interface {}, nil slices, raw bytes). time.Time, *semver.Version and sprig.certificate
// are classes with a static goType and Go-named methods (String, Major, Cert…).

import { goFunc, type FuncMap, type SprigFunction } from './signature';
import { cryptoRandom, uuidv4, type RandomSource } from './random';
import { localLocation } from './gotime';
import { stringFunctions } from './strings';
import { listFunctions } from './lists';
import { dictFunctions } from './dicts';
import { mathFunctions } from './math';
import { defaultFunctions } from './defaults';
import { encodingFunctions } from './encoding';
import { cryptoFunctions } from './crypto';
import { certificateFunctions } from './certificates';
import { regexFunctions } from './regex';
import { semverFunctions } from './semver';
import { dateFunctions } from './dates';
import { reflectFunctions } from './reflect';
import { pathFunctions } from './paths';
import { networkFunctions, type HostResolver } from './network';
import { osFunctions, type Environment } from './os';
import { urlFunctions } from './url';

export interface SprigOptions {
  /** Clock for now, date, ago, certificates' validity… (default: the system clock). */
  now?: () => Date;
  /** Uniform [0, 1) source for randAlpha…, shuffle, randInt, uuidv4, randBytes, encryptAES's IV. */
  random?: () => number;
  /** IANA zone that Go's "Local" means (default: this machine's zone). */
  localZone?: string;
  /** Environment for env/expandenv (default: process.env). */
  env?: Environment;
  /** Resolver for getHostByName (default: none; only "localhost" resolves). */
  lookupHost?: HostResolver;
}

/** Functions Helm deletes from Sprig's map before adding its own. */
export const HELM_REMOVED = ['env', 'expandenv'];

/** Functions whose result depends on time, randomness or the environment (Sprig's nonhermetic list). */
export const NON_HERMETIC = [
  'date', 'date_in_zone', 'date_modify', 'now', 'htmlDate', 'htmlDateInZone', 'dateInZone', 'dateModify',
  'randAlphaNum', 'randAlpha', 'randAscii', 'randNumeric', 'randBytes', 'uuidv4', 'env', 'expandenv', 'getHostByName',
];

export function sprigFunctions(options: SprigOptions = {}): Record<string, SprigFunction> {
  const random: RandomSource = options.random ?? cryptoRandom;
  const now = options.now ?? (() => new Date());
  const local = localLocation(options.localZone);
  const fns: FuncMap = {
    hello: goFunc('hello', [], () => 'Hello!'),
    ...stringFunctions(random),
    ...listFunctions(),
    ...dictFunctions(),
    ...mathFunctions(random),
    ...defaultFunctions(),
    ...encodingFunctions(),
    ...cryptoFunctions(random),
    ...certificateFunctions(now),
    ...regexFunctions(),
    ...semverFunctions(),
    ...dateFunctions({ now, local }),
    ...reflectFunctions(),
    ...pathFunctions(),
    ...networkFunctions(random, options.lookupHost),
    ...osFunctions(options.env ?? process.env),
    ...urlFunctions(),
    uuidv4: goFunc('uuidv4', [], () => uuidv4(random)),
    fail: goFunc('fail', ['string'], (msg: string) => {
      throw new Error(msg);
    }),
  };
  return fns;
}

export type { SprigFunction } from './signature';
export { Certificate } from './signature';
export { GoTime } from './gotime';
export { SemverVersion } from './semver';
export { goSprint, strval, toInt64, toFloat64, isEmpty, deepEqual, goTypeName, goKind } from './convert';
