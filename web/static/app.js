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
  // The policy page's link beside a field that differs from the law
  // fills the field with the legal default in place (the section's own
  // button saves it) and says so. Without the script, and for the
  // working-days rules (no data-fill), the link opens the page with the
  // field filled. Caught before htmx, which would follow it.
  document.addEventListener('click', function (e) {
    var link = e.target.closest ? e.target.closest('a[data-fill]') : null;
    var field = link && document.getElementById(link.getAttribute('data-field'));
    if (!field) {
      return;
    }
    e.preventDefault();
    e.stopPropagation();
    var kind = link.getAttribute('data-fill');
    var value = link.getAttribute('data-value') || '';
    if (kind === 'checkbox') {
      field.checked = value === 'true';
    } else if (kind === 'choices') {
      var picked = value ? value.split(',') : [];
      field.querySelectorAll('input[type="checkbox"]').forEach(function (box) {
        box.checked = picked.indexOf(box.value) >= 0;
      });
    } else {
      field.value = value;
      var unit = document.getElementById(field.id + '-unit');
      if (unit && link.hasAttribute('data-unit')) {
        unit.value = link.getAttribute('data-unit');
      }
    }
    (kind === 'choices' ? field.querySelector('input') : field).focus();
    var live = document.getElementById('announce');
    if (live) {
      live.textContent = '';
      window.setTimeout(function () {
        live.textContent = link.getAttribute('data-said');
      }, 100);
    }
  }, true);
  document.addEventListener('click', function (e) {
    var open = document.querySelector('.top details[open]');
    if (open && !open.contains(e.target)) {
      open.open = false;
    }
  });
})();
