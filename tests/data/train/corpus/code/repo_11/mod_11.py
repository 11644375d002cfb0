# Write a function to find the directrix of a parabola.
def parabola_directrix(a, b, c): 
  directrix=((int)(c - ((b * b) + 1) * 4 * a ))
  return directrix


# Write a function that takes two lists and returns true if they have at least one common element.
def common_element(list1, list2):
     result = False
     for x in list1:
         for y in list2:
             if x == y:
                 result = True
                 return result


# Write a function to find the median of a trapezium.
def median_trapezium(base1,base2,height):
 median = 0.5 * (base1+ base2)
 return median
