"use client";
import { useEffect, useState } from "react";

/** Says "hydrated" only once React has run this component's effect in the browser. */
export default function Hydrated() {
  const [state, setState] = useState("server");
  useEffect(() => setState("hydrated"), []);
  return <p id="hydration" data-state={state}>{state}</p>;
}
