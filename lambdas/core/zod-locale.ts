import * as z from 'zod/mini';
import { en } from 'zod/locales';

/**
 * zod/mini, the functional and tree-shakable build of zod 4, loads no locale by itself: every module that builds a
 * zod/mini schema imports this file first, for zod's English messages ("Too big: expected number to be <=50"). The
 * schemas the Lambdas build (config, mentions, the source adapters' responses) use zod/mini: a bundle then carries
 * only the validators used, about a third of classic zod's code, and starts ~10 ms sooner. (`import * as z` each time, not a re-export of
 * the namespace: that would keep all of zod and its locales in every bundle.)
 */
z.config(en());
