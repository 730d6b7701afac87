import { createContext, useContext } from 'react';

/** `{ auth, config, session }`: the CognitoAuth instance, the runtime config and `useCurrentUser(auth)`. */
export const AppContext = createContext(null);

export function useApp() {
  return useContext(AppContext);
}
