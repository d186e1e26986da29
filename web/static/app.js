// traject's only script: htmx swaps a page's content in place of a full
// load (hx-boost in the layout); this says what changed in the aria-live
// region and puts the focus where a keyboard or screen reader user expects
// it: on the error summary after a refused form, else on the content.
// Without JavaScript every page and form works as it is.
(function () {
  'use strict';
  document.addEventListener('htmx:afterSettle', function () {
    var main = document.getElementById('main');
    var live = document.getElementById('announce');
    if (!main || !live) {
      return;
    }
    var problem = main.querySelector('.error-summary');
    var flash = main.querySelector('.flash');
    var heading = main.querySelector('h1');
    var say = problem || flash || heading;
    // Emptied first, so that the same words twice are read twice.
    live.textContent = '';
    window.setTimeout(function () {
      live.textContent = say ? say.textContent.replace(/\s+/g, ' ').trim() : document.title;
    }, 100);
    (problem || main).focus();
  });
  // The header's folded menu (a details element, which opens and closes
  // without a script) also closes with Escape, back on its summary, and
  // when a click lands outside it.
  document.addEventListener('keydown', function (e) {
    var open = document.querySelector('.top details[open]');
    if (e.key === 'Escape' && open) {
      open.open = false;
      open.querySelector('summary').focus();
    }
  });
  document.addEventListener('click', function (e) {
    var open = document.querySelector('.top details[open]');
    if (open && !open.contains(e.target)) {
      open.open = false;
    }
  });
})();
