"use client";
// Whether an element is on (or near) the screen, from one IntersectionObserver shared by every
// caller: a list of 2,000 rows costs one observer, not 2,000.
import { useEffect, useState, type RefObject } from "react";

type Listener = (inView: boolean) => void;
let observer: IntersectionObserver | null = null;
const listeners = new WeakMap<Element, Listener>();

function shared(): IntersectionObserver {
  observer ??= new IntersectionObserver(
    (entries) => {
      for (const e of entries) listeners.get(e.target)?.(e.isIntersecting);
    },
    // A screen's height ahead, so a label is current before it scrolls in.
    { rootMargin: "100% 0px" },
  );
  return observer;
}

/** True until the observer first says otherwise (server rendering, first paint), then follows it. */
export function useInView(ref: RefObject<Element | null>): boolean {
  const [inView, setInView] = useState(true);
  useEffect(() => {
    const el = ref.current;
    if (!el || typeof IntersectionObserver === "undefined") return;
    const o = shared();
    listeners.set(el, setInView);
    o.observe(el);
    return () => {
      o.unobserve(el);
      listeners.delete(el);
    };
  }, [ref]);
  return inView;
}
