import type { Lang, Translate } from '../i18n/index.js';
import type { AppContext } from '../services/context.js';
import { type CurrentUser } from '../services/context.js';

export interface AppEnv {
  Variables: {
    ctx: AppContext;
    user: CurrentUser | null;
    /** How the user was identified: a browser session cookie, or an API bearer token. */
    auth: 'session' | 'token' | null;
    sessionToken: string | null;
    lang: Lang;
    t: Translate;
    csrf: string;
  };
}
