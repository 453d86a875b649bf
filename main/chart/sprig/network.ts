// Sprig's getHostByName. Go resolves the name with the system resolver and returns one of its
// addresses at random; template functions here are synchronous and renders must not touch the
// network by surprise, so lookups go through an injectable resolver. Without one, only
// "localhost" resolves and any other name fails the render with a clear error.

import { goFunc, type FuncMap } from './signature';
import type { RandomSource } from './random';
import { randomInt } from './random';

/** Returns the addresses of a host name (like net.LookupHost), or [] when it does not resolve. */
export type HostResolver = (name: string) => string[];

export function networkFunctions(random: RandomSource, resolve?: HostResolver): FuncMap {
  return {
    getHostByName: goFunc('getHostByName', ['string'], (name: string) => {
      const addrs = resolve ? resolve(name) : name === 'localhost' ? ['127.0.0.1'] : undefined;
      if (addrs === undefined) {
        throw new Error(`cannot resolve host ${JSON.stringify(name)}: DNS lookups are disabled while rendering charts`);
      }
      // Go: addrs[rand.Intn(len(addrs))] panics when the lookup found nothing.
      if (addrs.length === 0) throw new Error('invalid argument to Intn');
      return addrs[randomInt(random, addrs.length)];
    }),
  };
}
