import type { AnchorHTMLAttributes } from 'react';
import { follow } from '../router';

/** An in-app link: a real <a href> (keyboard, new tab) that navigates without reloading. */
export function Link(props: AnchorHTMLAttributes<HTMLAnchorElement> & { href: string }) {
  return <a {...props} onClick={props.onClick ?? follow} />;
}
