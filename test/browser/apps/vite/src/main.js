import { createElement, useEffect, useState } from "react";
import { createRoot } from "react-dom/client";

/** Says "hydrated" only once React has run this component's effect in the browser. */
function Hydrated() {
  const [state, setState] = useState("client");
  useEffect(() => setState("hydrated"), []);
  return createElement("p", { id: "hydration", "data-state": state }, state);
}

createRoot(document.getElementById("root")).render(createElement(Hydrated));
