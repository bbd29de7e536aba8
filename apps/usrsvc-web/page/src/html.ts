import htm from 'htm';
import { h } from 'preact';

/** Tagged templates for preact: every interpolated value is text (escaped), never markup. */
export const html = htm.bind(h);
